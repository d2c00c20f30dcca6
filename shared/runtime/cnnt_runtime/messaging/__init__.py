"""RabbitMQ topology, broker construction and the consumer middlewares."""
