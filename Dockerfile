# Felt server image: compile TypeScript in a build stage, run the compiled JavaScript with production
# dependencies only. Used by docker-compose.yml; DATABASE_URL must point at a PostgreSQL server.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY shared ./shared
COPY server ./server
COPY client-sim ./client-sim
RUN npm run build

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    FELT_DATA_DIR=/app/.felt
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# tsc does not copy static files; the admin console's and the players' client's assets are looked up next
# to the compiled module.
COPY --from=build /app/server/src/admin/public ./dist/server/src/admin/public
COPY --from=build /app/server/src/web/public ./dist/server/src/web/public
RUN mkdir -p /app/.felt && chown node:node /app/.felt
USER node
EXPOSE 3000
# node:20-slim has no curl; Node's own fetch checks readiness (database reachable and migrated).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/server/src/main.js"]
