#!/usr/bin/env bash
# Checks the TrackMate module against the real TrackMate 8.0.0 sources (not against our shim):
#  1. compiles the module's sources against TrackMate 8.0.0's own source files (and those of the
#     SciJava libraries it needs that are not on Maven Central), with the Maven Central jars Fiji
#     ships (pom-scijava 45.0.0's versions); javac enters the third-party sources only
#     (-implicit:none): it resolves every name, signature, class kind and override we use, and
#     writes no class of theirs;
#  2. compares every reference to TrackMate, imagej-common and imglib2-algorithm in the class files
#     Maven builds (against trackmate-api-shim, what we ship) with the references in the class files
#     compiled against the real sources: same owner, name, descriptor, and Methodref (class) versus
#     InterfaceMethodref (interface), plus each class's superclass and interfaces. Equal sets: the
#     shipped classes link in a Fiji with TrackMate 8.0.0 as if built against it.
#
# Usage (from anywhere; the sources are fetched by you, outside the repository, nothing is copied):
#   trackmate-integration/check-against-trackmate.sh TRACKMATE_SRC [LIBRARY_SRC ...]
# TRACKMATE_SRC: TrackMate at tag TrackMate-8.0.0 (a checkout or `git archive`; the folder holding
# src/main/java, or that source root itself). LIBRARY_SRC: the same for the libraries TrackMate's
# sources import that are not on Maven Central, at the versions pom-scijava 45.0.0 pins:
# imagej-common 2.1.1, imglib2-algorithm 0.18.x, imglib2-roi 0.15.2, imglib2-ij 2.0.3,
# imglib2-realtransform 4.0.5 (a missing one shows as javac's "package ... does not exist").
# Extra Maven flags (e.g. -o for offline): MVN_FLAGS="-o". Exit code 0 only when both steps pass.
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = "--help" ] || [ "$1" = "-h" ]; then
    sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
    [ $# -lt 1 ] && exit 2 || exit 0
fi

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
m2="${M2_REPO:-$HOME/.m2/repository}"
work="$(mktemp -d "${TMPDIR:-/tmp}/prdimp-tm-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT

sourcepath=""
for dir in "$@"; do
    if [ -d "$dir/src/main/java" ]; then
        src="$(cd "$dir/src/main/java" && pwd)"
    elif [ -d "$dir" ]; then
        src="$(cd "$dir" && pwd)"
    else
        echo "check: $dir is not a folder; give the TrackMate 8.0.0 sources (and the library sources) as folders" >&2
        exit 2
    fi
    sourcepath="${sourcepath:+$sourcepath:}$src"
done
first="${sourcepath%%:*}"
if [ ! -f "$first/fiji/plugin/trackmate/Spot.java" ]; then
    echo "check: $1 holds no fiji/plugin/trackmate/Spot.java; give TrackMate's sources at tag TrackMate-8.0.0 first" >&2
    exit 2
fi

echo "== building the module with Maven (against trackmate-api-shim)"
cd "$root"
# shellcheck disable=SC2086
mvn -B -ntp -q ${MVN_FLAGS:-} -pl trackmate-integration -am compile dependency:build-classpath \
    -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=compile >"$work/mvn.log" 2>&1 \
    || { cat "$work/mvn.log"; echo "check: the Maven build failed" >&2; exit 1; }
# Maven Central jars that TrackMate's sources import beyond the module's own dependencies
# (versions pinned by pom-scijava 45.0.0)
extra=""
for gav in org.apache.commons:commons-lang3:3.18.0 gov.nist.math:jama:1.0.3 net.sf.trove4j:trove4j:3.0.3; do
    IFS=: read -r g a v <<<"$gav"
    jar="$m2/${g//.//}/$a/$v/$a-$v.jar"
    if [ ! -f "$jar" ]; then
        # shellcheck disable=SC2086
        mvn -B -ntp -q ${MVN_FLAGS:-} org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get \
            -Dartifact="$gav" -Dtransitive=false >>"$work/mvn.log" 2>&1 \
            || { cat "$work/mvn.log"; echo "check: cannot get $gav from Maven Central" >&2; exit 1; }
    fi
    extra="$extra:$jar"
done
# the module's compile class path without the shim: the real TrackMate comes from the sources
classpath="$(tr ':' '\n' <"$work/cp.txt" | grep -v 'trackmate-api-shim' | paste -sd: -)$extra"
shipped="$root/trackmate-integration/target/classes"

echo "== step 1: javac, the module's sources against the real sources"
echo "   sources: $(echo "$sourcepath" | tr ':' ' ')"
mkdir -p "$work/real"
if ! javac --release 11 -proc:none -implicit:none -nowarn -Xmaxerrs 200 -encoding UTF-8 \
        -cp "$classpath" -sourcepath "$sourcepath" -d "$work/real" \
        $(find "$root/trackmate-integration/src/main/java" -name '*.java' | sort) 2>"$work/javac.log"; then
    cat "$work/javac.log"
    echo "check: FAILED: the module does not compile against the real sources ($(grep -c 'error:' "$work/javac.log") errors)"
    exit 1
fi
echo "   compiled $(find "$work/real" -name '*.class' | wc -l) class files, 0 errors"

echo "== step 2: references to TrackMate / imagej-common / imglib2-algorithm in the shipped class files"
# one line per reference: class file, kind, owner.name:descriptor (javap's constant pool comments),
# and one line per superclass / interface of each class
refs() {
    local dir="$1"
    (cd "$dir" && find . -name '*.class' | sort) | while read -r cls; do
        local name="${cls#./}"
        javap -v -p "$dir/$name" | awk -v f="$name" '
            /^ *#[0-9]+ = (Methodref|InterfaceMethodref|Fieldref|Class) / {
                kind = $3; ref = $0; sub(/^.*\/\/ */, "", ref)
                if (ref ~ /^"?(\[*L)?(fiji\/plugin\/trackmate|net\/imagej|net\/imglib2\/algorithm)\//) print f, kind, ref
            }
            /^(public |final |abstract |class |interface )/ && /(class|interface) / && !done {
                line = $0; done = 1
                if (match(line, / extends [^{]*/)) { s = substr(line, RSTART + 9, RLENGTH - 9); gsub(/[ {]+$/, "", s); print f, "extends", s }
                if (match(line, / implements [^{]*/)) { s = substr(line, RSTART + 12, RLENGTH - 12); gsub(/[ {]+$/, "", s); print f, "implements", s }
            }'
    done | sort -u
}
refs "$shipped" >"$work/shipped.txt"
refs "$work/real" >"$work/real.txt"
n_files=$(cut -d' ' -f1 "$work/shipped.txt" | sort -u | wc -l)
n_refs=$(grep -cE ' (Methodref|InterfaceMethodref|Fieldref|Class) ' "$work/shipped.txt" || true)
n_distinct=$(grep -E ' (Methodref|InterfaceMethodref|Fieldref|Class) ' "$work/shipped.txt" | cut -d' ' -f2- | sort -u | wc -l)
echo "   shipped: $(find "$shipped" -name '*.class' | wc -l) class files, $n_files of them refer to these APIs:" \
     "$n_refs references ($n_distinct distinct)"
for kind in Class Methodref InterfaceMethodref Fieldref; do
    echo "     $kind: $(grep -E " $kind " "$work/shipped.txt" | cut -d' ' -f2- | sort -u | wc -l) distinct"
done
echo "   per TrackMate type (distinct members used):"
grep -E ' (Methodref|InterfaceMethodref|Fieldref) ' "$work/shipped.txt" | cut -d' ' -f2- | sort -u \
    | sed -E 's/^(\S+) "?([^."]+)\..*/\2 \1/' | sort | uniq -c | awk '{printf "     %-58s %-18s %d\n", $2, $3, $1}'
if diff -u "$work/real.txt" "$work/shipped.txt" >"$work/diff.txt"; then
    echo "   identical to the class files compiled against the real sources (owners, names, descriptors,"
    echo "   class/interface kinds, superclasses, interfaces)"
    echo "check: PASSED"
else
    echo "   differences (- compiled against the real sources, + shipped, built against the shim):"
    sed -n '3,$p' "$work/diff.txt" | grep '^[-+]' | sed 's/^/     /'
    echo "check: FAILED: the shim differs from TrackMate 8.0.0 where the module uses it"
    exit 1
fi
