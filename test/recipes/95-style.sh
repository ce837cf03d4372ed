#!/usr/bin/env bash
# 95-style: mechanical rules of the code base (see ../shared/STYLE.md):
# banned C functions, no use of OpenSSL's CMP/CRMF API, files under ~800 lines.
. "$(dirname "$0")/lib.sh"
cd "$top_srcdir" || exit 1
src="src include fuzz"

grep -rnE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atoll|gets|strncpy)[[:space:]]*\(' \
  $src --include='*.c' --include='*.h' > "$TMPD/banned"
[ ! -s "$TMPD/banned" ]; ok $? "no strcpy/strcat/sprintf/strtok/atoi/gets/strncpy"
sed 's/^/# /' "$TMPD/banned"

grep -rnE '\b(OSSL_CMP|OSSL_CRMF|ossl_cmp|ossl_crmf)_' $src --include='*.c' --include='*.h' \
  > "$TMPD/cmp"
[ ! -s "$TMPD/cmp" ]; ok $? "no OSSL_CMP_*/OSSL_CRMF_* names in our code"
sed 's/^/# /' "$TMPD/cmp"

grep -rlE 'include <openssl/(cmp|crmf)\.h>' $src > "$TMPD/hdr"
[ ! -s "$TMPD/hdr" ]; ok $? "no include of openssl/cmp.h or openssl/crmf.h"

for f in src/lib/*.c src/apps/*.c; do
  n=$(wc -l < "$f")
  [ "$n" -le 800 ]; ok $? "$f has $n lines (at most 800)"
done
done_testing
