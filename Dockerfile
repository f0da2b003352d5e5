# fixpath container image. The server and its runtime image come with the main-job work; for now the
# image runs the CLI against the guides in flows/ (e.g. `docker run --rm -it fixpath chat session-expiry`).
FROM node:20-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY flows ./flows
USER node
ENTRYPOINT ["node", "bin/fixpath.js"]
CMD ["--help"]
