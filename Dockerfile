# The ogcard server as a container: a static binary (no cgo) on a
# distroless base, running as a non-root user.
#
#   docker build -t ogcard --build-arg VERSION=v1.2.3 .
#   docker run -p 8080:8080 -v "$PWD/content:/content:ro" ogcard
#
# Probe GET /healthz on port 8080 (see deploy/kubernetes/ogcard.yaml). The
# same image is built without a Docker daemon by ko (.ko.yaml).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/ogcard ./cmd/ogcard

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ogcard /ogcard
# 65532 is distroless's "nonroot" user.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/ogcard"]
CMD ["serve", "--content", "/content", "--addr", ":8080"]
