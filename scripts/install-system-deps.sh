#!/usr/bin/env bash
# Install the Debian packages Outguard needs, when they are missing.
#
# Usage: scripts/install-system-deps.sh [--test]
#   (no option)  packages the product needs at run time
#   --test       also the packages the test suite uses
#
# Idempotent and cheap when everything is present (file checks only), because `npm test` runs it
# every time. `apt-get update` runs once, and only when something must be installed. Without
# root, it prints the exact commands to run and exits non-zero if a required package is missing.
#
# Exit status: 0 all required packages present, 1 a required package is missing, 2 bad usage.
set -euo pipefail

# The dependency list. One line per Debian package:
#   package  check  scope  need
# check: an absolute path that exists once the package is installed, or a command name.
# scope: run (the product needs it to install or to run) or test (only the test suite).
# need:  required (missing is an error) or optional (missing is a warning).
# ripgrep: the detector benchmark's yardstick; a test checks its patterns match every shape.
# python3, make and g++ are node-gyp's toolchain: `npm ci` compiles the native modules (re2,
# better-sqlite3) from source wherever their prebuilt binaries cannot be downloaded.
# tesseract-ocr and its Korean model read text in image attachments; p7zip-full opens 7z archives;
# fonts-nanum gives Korean glyphs to whatever Outguard renders (and to the OCR test images).
# zip makes the encrypted-archive fixtures the tests check against a real ZipCrypto implementation.
DEPS=(
  "postfix   /usr/sbin/postfix   run   required"
  "tesseract-ocr        tesseract   run   required"
  "tesseract-ocr-kor    /usr/share/tesseract-ocr/5/tessdata/kor.traineddata   run   required"
  "p7zip-full           7z          run   required"
  "fonts-nanum          /usr/share/fonts/truetype/nanum/NanumGothic.ttf   run   required"
  "zip                  zip         test  required"
  "python3   python3             run   required"
  "make      make                run   required"
  "g++       g++                 run   required"
  "swaks     swaks               test  optional"
  "ripgrep   rg                  test  required"
)

# debconf answers for packages that would otherwise ask questions during installation.
# "No configuration" installs Postfix without writing /etc/postfix/main.cf or starting it;
# Outguard's tests run their own throwaway instances.
declare -A PRESEED=(
  [postfix]="postfix postfix/main_mailer_type select No configuration"
)

want_test=0
case "${1:-}" in
  "") ;;
  --test) want_test=1 ;;
  -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac

log() { echo "install-system-deps: $*" >&2; }

present() {
  local check=$1
  if [[ $check == /* ]]; then [[ -e $check ]]; else command -v "$check" >/dev/null 2>&1; fi
}

missing_required=()
missing_optional=()
for line in "${DEPS[@]}"; do
  read -r package check scope need <<<"$line"
  [[ $scope == test && $want_test -eq 0 ]] && continue
  present "$check" && continue
  if [[ $need == required ]]; then
    missing_required+=("$package")
  else
    missing_optional+=("$package")
  fi
done

to_install=("${missing_required[@]}" "${missing_optional[@]}")
if [[ ${#to_install[@]} -eq 0 ]]; then
  exit 0
fi

print_manual_steps() {
  local pkg
  echo "Run as root:" >&2
  for pkg in "${to_install[@]}"; do
    if [[ -n ${PRESEED[$pkg]:-} ]]; then
      echo "  echo '${PRESEED[$pkg]}' | debconf-set-selections" >&2
    fi
  done
  echo "  apt-get update" >&2
  echo "  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends" \
    "${to_install[*]}" >&2
}

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    log "missing: ${to_install[*]} (no apt-get here: install them with your system's tools)"
  else
    log "missing: ${to_install[*]}, and installing needs root."
    print_manual_steps
  fi
  if [[ ${#missing_required[@]} -gt 0 ]]; then
    log "required package(s) missing: ${missing_required[*]}"
    exit 1
  fi
  log "optional package(s) missing: ${missing_optional[*]}; continuing without them"
  exit 0
fi

for pkg in "${to_install[@]}"; do
  if [[ -n ${PRESEED[$pkg]:-} ]]; then
    echo "${PRESEED[$pkg]}" | debconf-set-selections
  fi
done

export DEBIAN_FRONTEND=noninteractive
log "installing: ${to_install[*]}"
apt-get update -qq
if ! apt-get install -y -qq --no-install-recommends "${to_install[@]}" >&2; then
  # An optional package may be unavailable (another release, a trimmed mirror); retry without.
  if [[ ${#missing_optional[@]} -gt 0 && ${#missing_required[@]} -gt 0 ]]; then
    log "retrying without optional package(s): ${missing_optional[*]}"
    apt-get install -y -qq --no-install-recommends "${missing_required[@]}" >&2
  elif [[ ${#missing_required[@]} -gt 0 ]]; then
    log "could not install: ${missing_required[*]}"
    exit 1
  else
    log "could not install optional package(s): ${missing_optional[*]}; continuing without them"
  fi
fi

for pkg in "${missing_required[@]}"; do
  for line in "${DEPS[@]}"; do
    read -r package check _ _ <<<"$line"
    if [[ $package == "$pkg" ]] && ! present "$check"; then
      log "$pkg installed but $check is still missing"
      exit 1
    fi
  done
done
log "done"
