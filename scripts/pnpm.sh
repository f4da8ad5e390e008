# Sourced by the other scripts: runs pnpm 10 whether or not it is installed.
if command -v pnpm >/dev/null 2>&1 && pnpm --version 2>/dev/null | grep -q '^10\.'; then
  pnpm() { command pnpm "$@"; }
else
  pnpm() { npx -y pnpm@10 "$@"; }
fi
