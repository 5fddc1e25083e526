#!/usr/bin/env bash
# Builds the Debian package in a temporary copy of the source tree (nothing is
# written into the tree but dist/), checks it with lintian, and checks that it
# would install (apt-get --simulate) and that the packaged binary runs the
# packaged scenarios. The last line is "N passed, N failed", like the suite.
# Usage: scripts/package.sh     (exit 77 = skipped: no dpkg-buildpackage)
# Needs: dpkg-dev debhelper lintian (apt-get install dpkg-dev debhelper lintian)
set -uo pipefail
cd "$(dirname "$0")/.."
src=$PWD
if ! command -v dpkg-buildpackage >/dev/null 2>&1; then
  echo "SKIP: dpkg-buildpackage is not installed (apt-get install dpkg-dev debhelper lintian)"
  exit 77
fi
passed=0
failed=0
result() {  # result NAME STATUS [DETAIL]
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "PASS $1${3:+ ($3)}"
  else failed=$((failed + 1)); echo "FAIL $1${3:+: $3}"; fi
}
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

work=$(mktemp -d "${TMPDIR:-/tmp}/wscheck-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/wscheck"
# The tree as it is (committed or not), without build folders and node_modules.
tar -C "$src" --exclude='./build*' --exclude='./.git' --exclude='./dist' \
    --exclude='./tests/peers/node_modules' -cf - . | tar -C "$work/wscheck" -xf -

start=$SECONDS
(cd "$work/wscheck" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1)
status=$?
result "dpkg-buildpackage -us -uc -b" $status "$((SECONDS - start)) s"
if [ $status -ne 0 ]; then
  tail -n 40 "$work/build.log"
  finish
fi
deb=$(ls "$work"/wscheck_*.deb | head -n 1)
mkdir -p dist
cp "$deb" dist/
echo "package: dist/$(basename "$deb")"

if command -v lintian >/dev/null 2>&1; then
  lintian --fail-on error --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1
  status=$?
  sed 's/^/  lintian: /' "$work/lintian.log"
  result "lintian (no errors)" $status
else
  echo "lintian is not installed: not checked"
fi

apt-get install --simulate "$deb" >"$work/apt.log" 2>&1
status=$?
[ $status -eq 0 ] || tail -n 20 "$work/apt.log"
result "apt-get install --simulate (dependencies resolve)" $status

root="$work/root"
dpkg-deb -x "$deb" "$root"
"$root/usr/bin/wscheck" run --color never "$root/usr/share/wscheck/scenarios" >"$work/run.log" 2>&1
status=$?
[ $status -eq 0 ] || cat "$work/run.log"
result "packaged wscheck runs the packaged scenarios" $status
missing=""
for f in usr/share/man/man1/wscheck.1.gz usr/share/bash-completion/completions/wscheck \
         usr/share/zsh/vendor-completions/_wscheck usr/share/wscheck/schemas/report.schema.json \
         usr/share/doc/wscheck/copyright; do
  [ -e "$root/$f" ] || missing+=" $f"
done
result "package contents (man page, completions, schemas, copyright)" "$([ -z "$missing" ] && echo 0 || echo 1)" "${missing:+missing:$missing}"
finish
