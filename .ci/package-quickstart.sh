#!/usr/bin/env bash
# Builds and runs the README's quick start as a new user would: a fresh project that takes EventLink from packed
# .nupkg files in a local folder source (not project references), run with `dotnet run`, then published with
# Native AOT and run again. Fails on any trim/AOT warning, a non-zero exit, or output without the README's timeline.
#   usage: .ci/package-quickstart.sh <folder holding the .nupkg files> <package version>
set -euo pipefail

PACK_DIR=$(readlink -f "$1")
VERSION=$2
REPO=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Native AOT links with clang and zlib (Debian: clang, zlib1g-dev).
if ! command -v clang >/dev/null 2>&1 || [ ! -e /usr/include/zlib.h ]; then
    echo "[quickstart] installing clang and zlib1g-dev for Native AOT"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang zlib1g-dev >/dev/null
fi

# The project's own sources: the local folder first, then the feed the repository restores from.
cat > "$WORK/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$PACK_DIR" />
$(grep -E '<add key=' "$REPO/nuget.config")
  </packageSources>
</configuration>
XML

# Outside the repository, so no Directory.Build.props or central package versions apply: a consumer's project.
cat > "$WORK/QuickStart.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
    <PublishAot>true</PublishAot>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="EventLink" Version="$VERSION" />
    <PackageReference Include="EventLink.Sqlite" Version="$VERSION" />
  </ItemGroup>
</Project>
XML

# Program.cs is what the README says: `using EventLink;`, then its quick-start block verbatim.
echo "using EventLink;" > "$WORK/Program.cs"
awk '/<!-- snippet: readme-quickstart -->/ { found = 1; next }
     found && /^```csharp/ { inside = 1; next }
     inside && /^```/ { exit }
     inside { print }' "$REPO/README.md" >> "$WORK/Program.cs"
if [ "$(wc -l < "$WORK/Program.cs")" -lt 5 ]; then
    echo "[quickstart] README.md has no readme-quickstart block"
    exit 1
fi

check_output() {
    # created 1767225600 / 1768471200: the customer on 2026-01-01 and the charge on 2026-01-15.
    if ! grep -q "^2026-01-15 stripe charge" "$1"; then
        echo "[quickstart] $2 did not print the README's timeline:"
        cat "$1"
        exit 1
    fi
}

cd "$WORK"
echo "[quickstart] restoring EventLink $VERSION from $PACK_DIR"
dotnet restore --configfile nuget.config -r linux-x64 | tail -n 2
if ! find obj -name project.assets.json -exec grep -q "\"EventLink/$VERSION\"" {} \; -print | grep -q .; then
    echo "[quickstart] EventLink $VERSION was not restored from the packages"
    exit 1
fi

# What a console app of the core (and SQLite) gets: the dependency-injection, options and logging packages and the
# configuration interfaces UseSqlite(IConfiguration) takes; nothing of hosting, HTTP or configuration binding (those
# are in EventLink.Hosting).
EXTENSIONS=$(dotnet list package --include-transitive | grep -oE "Microsoft\.Extensions\.[A-Za-z.]+" | sort -u)
echo "[quickstart] Microsoft.Extensions packages restored: $(echo "$EXTENSIONS" | wc -l) ($(echo $EXTENSIONS))"
if echo "$EXTENSIONS" | grep -qE "Hosting|Http|Configuration(\.Binder|\.Json)?$|ConfigurationExtensions"; then
    echo "[quickstart] the core pulls hosting, HTTP or configuration packages"
    exit 1
fi

echo "[quickstart] dotnet run (JIT) against the packages"
dotnet run --no-restore -r linux-x64 > run.out || { cat run.out; echo "[quickstart] dotnet run failed"; exit 1; }
cat run.out
check_output run.out "dotnet run"

echo "[quickstart] dotnet publish -p:PublishAot=true"
rm -f eventlink.db*
dotnet publish --no-restore -c Release -r linux-x64 -o aot > publish.log 2>&1 || { cat publish.log; echo "[quickstart] Native AOT publish failed"; exit 1; }
WARNINGS=$(grep -cE "warning (IL[0-9]+|CS[0-9]+)" publish.log || true)
grep -E "warning|error" publish.log | sort -u || true
echo "[quickstart] trim/AOT warnings: $WARNINGS"
if [ "$WARNINGS" -ne 0 ]; then
    exit 1
fi
if ! file aot/QuickStart 2>/dev/null | grep -q ELF && ! head -c 4 aot/QuickStart | grep -q ELF; then
    echo "[quickstart] no native executable in the publish output"
    exit 1
fi
echo "[quickstart] native executable: $(du -h aot/QuickStart | cut -f1)"
(cd aot && ./QuickStart > ../aot.out)
cat aot.out
check_output aot.out "the Native AOT executable"
echo "[quickstart] the package-based quick start and its Native AOT build ran (exit 0, 0 trim/AOT warnings)"
