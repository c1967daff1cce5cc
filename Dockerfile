# Matchbox: one image for every role (ROLE=all|gateway|sequencer|projector|fanout).
# (Written for users; Docker does not run on the development machines, so this image is untested.)
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
COPY packages ./packages
COPY apps ./apps
RUN npm ci --no-audit --no-fund && npm run build:web
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 NODE_OPTIONS="--max-semi-space-size=64 --v8-pool-size=1"
EXPOSE 8080
CMD ["npx", "tsx", "apps/server/src/main.ts"]
