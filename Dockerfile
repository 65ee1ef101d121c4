# A small image holding only the static attache binary:
#   docker build -t attache .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" attache build
# The builder uses the minimum Rust version in Cargo.toml (tests/msrv.rs).
FROM rust:1.88-alpine AS build
RUN apk add --no-cache musl-dev
WORKDIR /src
COPY . .
RUN cargo build --release --locked && cp target/release/attache /attache

FROM scratch
COPY --from=build /attache /usr/local/bin/attache
ENV PATH=/usr/local/bin
WORKDIR /site
ENTRYPOINT ["attache"]
CMD ["build"]
