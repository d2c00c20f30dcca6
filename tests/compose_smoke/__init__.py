"""`make compose-smoke`: the deployment as operators run it, for real, in Docker.

Stand-in base images where no registry answers, this commit's images built with
deploy/build-images.sh (wheelhouse, Dockerfile), the stack started with deploy/docker-compose.yml
and a freshly generated .env, then: an upgrade on the same volumes (data and a queued message
kept) from the previous commit, which is built and run entirely with its own packaging (its own
build scripts, Dockerfile and compose file, under the same project name and .env), the demo's
programme cycle against the containers (Đắk Lắk's figures), a stream of score sheets while
RabbitMQ and a service container restart (nothing lost or doubled), and `down -v`. Everything
runs on 127.0.0.1 and on ports of its own, apart from the machine's own servers.
"""
