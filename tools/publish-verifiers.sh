#!/usr/bin/env bash
# Publishes evidencectl as one self-contained file per platform, so a court clerk runs one file with nothing
# installed (no .NET). Usage:
#   tools/publish-verifiers.sh                 # linux-x64, win-x64 and osx-arm64
#   tools/publish-verifiers.sh linux-x64       # only the platforms named
# Output: publish/verifiers/<rid>/evidencectl (evidencectl.exe on Windows), plus SHA256SUMS beside them.
# The runtime packs come from NuGet on first use. It builds from a copy of the sources in publish/src (ignored):
# a restore for one platform adds that platform's section to the packages.lock.json files, and the working tree's
# lock files (restored in locked mode by CI) and bin/obj folders must stay as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

rids=("$@")
if [ ${#rids[@]} -eq 0 ]; then
  rids=(linux-x64 win-x64 osx-arm64)
fi

root=$PWD
out=$root/publish/verifiers
copy=$root/publish/src
mkdir -p "$out"
rm -rf "$copy"
mkdir -p "$copy"
tar --exclude=bin --exclude=obj -cf - Directory.Build.props Directory.Packages.props global.json .editorconfig proto src tools \
  | tar -xf - -C "$copy"
for rid in "${rids[@]}"; do
  case "$rid" in
    linux-x64|linux-arm64|linux-musl-x64|win-x64|win-arm64|osx-arm64|osx-x64) ;;
    *) echo "publish-verifiers: unknown platform \"$rid\" (try linux-x64, win-x64 or osx-arm64)" >&2; exit 2 ;;
  esac
  echo "publish-verifiers: $rid"
  rm -rf "${out:?}/$rid"
  dotnet publish "$copy/tools/EvidenceChain.Cli/EvidenceChain.Cli.csproj" \
    --configuration Release \
    --runtime "$rid" \
    --self-contained true \
    --output "$out/$rid" \
    -p:PublishSingleFile=true \
    -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:EnableCompressionInSingleFile=true \
    -p:DebugType=none \
    -p:PublishDocumentationFile=false \
    -p:PublishReferencesDocumentationFiles=false \
    -p:RestoreLockedMode=false \
    -p:InvariantGlobalization=true
done

(cd "$out" && find . -type f \( -name evidencectl -o -name evidencectl.exe \) -print0 | sort -z | xargs -0 sha256sum > SHA256SUMS)
echo "publish-verifiers: done"
cat "$out/SHA256SUMS"
