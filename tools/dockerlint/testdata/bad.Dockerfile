# A Dockerfile with known defects: `make lint-docker` checks that the linter
# still reports them, so a silently broken linter cannot pass the real one.
from golang:1.26 as build
RUN echo $UNDEFINED_VAR
ENTRYPOINT /web
