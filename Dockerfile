# syntax=docker/dockerfile:1
# check=error=true

# The console as one static binary. Templates (generated *_templ.go) and
# front-end files (static/, go:embed) are in the tree and compiled in, so the
# build needs only Go and the final image only the binary.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/web ./cmd/web

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/web /web
# Listen on every interface inside the container; the default (127.0.0.1)
# would be unreachable through a published port.
ENV ADDR=0.0.0.0:8080
# DATA_DIR stays relative (.data): the image's working directory is the
# nonroot user's home, /home/nonroot, which that user can write. Mount a
# volume on /home/nonroot/.data to keep sessions across restarts.
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/web"]
