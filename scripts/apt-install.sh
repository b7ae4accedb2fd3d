# Sourced by the set-up scripts: `say` and `apt_install PACKAGE...` (Debian's packages, as root; without root it
# prints the `sudo apt-get install` line and stops).
say() { printf '[loa] %s\n' "$*"; }

apt_install() {
  if [ "$(id -u)" != "0" ]; then
    say "Missing: $*. Install it with: sudo apt-get install -y $*"
    exit 1
  fi
  say "Installing $* from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
