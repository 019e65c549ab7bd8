# kvlab runs its TypeScript sources directly on Node.js 24 (type stripping), so the image needs no build step.
FROM node:24-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY bin ./bin
COPY src ./src
COPY handlers ./handlers
COPY diagnostics ./diagnostics
COPY sim ./sim
USER node
EXPOSE 3000
ENTRYPOINT ["node", "bin/kvlab.js"]
CMD ["serve", "--role", "all"]
