#!/usr/bin/env bash
# Fails on a dangling path in the docs: every relative markdown link and every
# backticked repository path (src/..., docs/..., tests/..., examples/...,
# scripts/..., include/..., bench/..., cmake/...) in README.md, CHANGELOG.md,
# docs/*.md and bench/*.md must exist. Usage: check_links.sh <repository root>
set -u
root="${1:-.}"
cd "$root" || exit 2
bad=0
for md in README.md CHANGELOG.md docs/*.md bench/*.md; do
    [ -f "$md" ] || continue
    dir=$(dirname "$md")
    # [text](target) links that are not URLs or anchors
    while IFS= read -r target; do
        t="${target%%#*}"
        [ -z "$t" ] && continue
        case "$t" in http://*|https://*|mailto:*) continue ;; esac
        if [ ! -e "$dir/$t" ] && [ ! -e "$t" ]; then echo "$md: dangling link ($target)"; bad=1; fi
    done < <(grep -oE '\]\([^)]+\)' "$md" | sed -E 's/^\]\((.*)\)$/\1/')
    # `path` mentions of repository files and folders
    while IFS= read -r p; do
        p="${p%%:*}"          # drop ":line" suffixes
        p="${p%%(*}"          # drop "(...)"
        case "$p" in *'*'*|*'<'*|*'{'*) continue ;; esac   # patterns, placeholders
        if [ ! -e "$p" ]; then echo "$md: dangling path \`$p\`"; bad=1; fi
    done < <(grep -oE '`(src|docs|tests|examples|scripts|include|bench|cmake)/[^` ]*`' "$md" | tr -d '`')
done
[ $bad -eq 0 ] && echo "docs: every link and path exists"
exit $bad
