#!/bin/bash
# Lints the TOSCA archives and lifecycle scripts: yamllint (settings in .yamllint) over tosca/ and topologies/,
# and ShellCheck over scripts/ and the shell scripts of .ci/. Exits non-zero on any finding, warnings included.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in yamllint shellcheck; do
  command -v "$tool" >/dev/null 2>&1 || { echo "lint-tosca: $tool is not installed (apt-get install -y $tool)" >&2; exit 2; }
done

status=0
echo "lint-tosca: yamllint $(yamllint --version | awk '{print $2}') over tosca/ topologies/"
yamllint --strict -c .yamllint tosca/ topologies/ || status=1

mapfile -t shell_files < <(find scripts .ci cell-image -type f \( -name '*.sh' -o -path 'cell-image/test/fakes/*' \) | sort)
echo "lint-tosca: shellcheck $(shellcheck --version | awk '/^version:/ {print $2}') over ${#shell_files[@]} scripts"
shellcheck -x "${shell_files[@]}" || status=1

# Alien4Cloud runs the scripts named by the types; a script without its executable bit still runs through bash,
# but a missing shebang would not.
for f in "${shell_files[@]}"; do
  head -n 1 "$f" | grep -q '^#!/bin/bash' || { echo "lint-tosca: $f does not start with #!/bin/bash" >&2; status=1; }
done

bash cell-image/test/entrypoint-test.sh > /dev/null || { echo "lint-tosca: cell-image/test/entrypoint-test.sh failed" >&2; status=1; }
if [ "$status" -eq 0 ]; then echo "lint-tosca: clean"; else echo "lint-tosca: findings above" >&2; fi
exit "$status"
