# syntax=docker/dockerfile:1
# Build stage: native addons (pkcs11js) need a compiler; the runtime image does not.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# npm ci compiles the TypeScript into dist/ (the prepare script); the
# development dependencies (TypeScript, tsx) are then removed: the image runs
# JavaScript only.
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
# The staff console is bundled by scripts/build-console.ts (esbuild) into dist/console-web.
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
# PKCS#11 modules are loaded by path (PKCS11_MODULE): mount the token vendor's
# module, or use OpenSC's (installed here) for PC/SC USB tokens.
RUN apt-get update && apt-get install -y --no-install-recommends opensc pcscd ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Production configures its own signer and trust anchors (mount them, e.g. at
# /trust); the development CA is deliberately not in the image.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data TRUST_DIR=/trust
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY schemas ./schemas
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:3000/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server.js"]
