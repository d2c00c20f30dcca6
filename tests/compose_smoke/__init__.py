"""`make compose-smoke`: the deployment as operators run it, for real, in Docker.

Stand-in base images where no registry answers, the project image built with deploy/Dockerfile,
the stack started with deploy/docker-compose.yml and a freshly generated .env, then: an upgrade
from the previous commit's image on the same volumes (data and a queued message kept), the
demo's programme cycle against the containers (Đắk Lắk's figures), a stream of score sheets
while RabbitMQ and a service container restart (nothing lost or doubled), and `down -v`.
Everything runs on 127.0.0.1 and on ports of its own, apart from the machine's own servers.
"""
