# ringcache in a container.
#   docker build -t ringcache .
#   docker run -p 6379:6379 ringcache                                  # defaults
#   docker run -p 6379:6379 ringcache --maxmemory 100mb --maxmemory-policy allkeys-lru
#   docker run -p 6379:6379 -v "$PWD/ringcache.conf:/etc/ringcache/ringcache.conf:ro" \
#     ringcache /etc/ringcache/ringcache.conf
# Arguments replace the default CMD, and are the same as ringcache-server's: the container
# listens on every interface because the default CMD sets --bind 0.0.0.0 --protected-mode no,
# which a mounted config file (or your own arguments) should set too.

# Build stage: dev dependencies, compile, and pack exactly what npm would publish.
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY bin ./bin
COPY README.md LICENSE ./
RUN npm run build \
 && npm pack --ignore-scripts \
 && mkdir /app \
 && tar -xzf ringcache-*.tgz -C /app --strip-components=1 \
 && cp package-lock.json /app/

# Run stage: the packed package with production dependencies only.
FROM node:20-slim
ENV NODE_ENV=production
# The environment assignments on the first line of bin/ringcache-server (why: see there).
ENV MALLOC_ARENA_MAX=2
ENV MALLOC_MMAP_THRESHOLD_=65536
WORKDIR /app
COPY --from=build /app ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && rm package-lock.json \
 && mkdir -p /etc/ringcache /data \
 && chown node:node /data
USER node
WORKDIR /data
EXPOSE 6379 9121
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "const s=require('net').connect(+(process.env.RINGCACHE_PORT||6379),'127.0.0.1');s.setTimeout(2000,()=>process.exit(1));s.on('error',()=>process.exit(1));s.on('data',d=>process.exit(/^(\\+PONG|-NOAUTH)/.test(d.toString())?0:1));s.write('PING\\r\\n')"]
# The same V8 flags as the first line of bin/ringcache-server (why: see there).
ENTRYPOINT ["node", "--max-semi-space-size=1", "--heap-growing-percent=20", "/app/bin/ringcache-server"]
CMD ["--bind", "0.0.0.0", "--protected-mode", "no"]
