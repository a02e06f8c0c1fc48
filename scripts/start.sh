#!/usr/bin/env bash
# One command for a fresh machine: install dependencies if missing, build the app and serve it
# on http://127.0.0.1:4173/ (everything runs in the browser; nothing leaves the machine).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1; then
  echo "Нужен Node.js 20.19 или новее (https://nodejs.org), затем запустите снова." >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Установка зависимостей (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "Сборка приложения…"
npx vite build --logLevel error
echo
exec npx tsx scripts/serve.ts dist 4173
