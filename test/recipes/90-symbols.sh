#!/usr/bin/env bash
# 90-symbols: the shared library exports exactly the functions declared in the
# public headers, all pkixcmp_-prefixed, and never calls OpenSSL's own CMP/CRMF.
. "$(dirname "$0")/lib.sh"
so=$(ls "$top_builddir"/.libs/libpkixcmp.so.* 2>/dev/null | head -1)
[ -n "$so" ]; ok $? "the shared library was built" || { done_testing; exit 1; }
nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' | sort -u > "$TMPD/exported"
[ -s "$TMPD/exported" ]; ok $? "the library exports functions"
grep -v '^pkixcmp_' "$TMPD/exported" > "$TMPD/foreign"
[ ! -s "$TMPD/foreign" ]; ok $? "every exported symbol starts with pkixcmp_"
sed 's/^/# foreign: /' "$TMPD/foreign"
# functions declared in the public headers
cat "$top_srcdir"/include/pkixcmp/*.h | grep -v '^typedef' | tr '\n' ' ' | grep -o 'pkixcmp_[a-z0-9_]*(' \
  | tr -d '(' | sort -u > "$TMPD/declared"
diff "$TMPD/declared" "$TMPD/exported" > "$TMPD/diff"; s=$?
ok $s "exported functions = functions declared in include/pkixcmp/*.h"
sed 's/^/# /' "$TMPD/diff"
nm -D --undefined-only "$so" | grep -E ' (OSSL_CMP|OSSL_CRMF)_' > "$TMPD/cmp"
[ ! -s "$TMPD/cmp" ]; ok $? "no use of OpenSSL's OSSL_CMP_*/OSSL_CRMF_* functions"
sed 's/^/# /' "$TMPD/cmp"
done_testing
