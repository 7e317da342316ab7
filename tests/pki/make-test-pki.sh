#!/usr/bin/env bash
# Writes portier's test PKI into OUTDIR with the openssl CLI only: a root and
# an IGC-Santé-like "FORT PERSONNES" intermediate issuing CPS-shaped card
# certificates, a CRL, a separate server CA for the TLS listeners and a
# foreign root. Names, serials and RPPS numbers are fixed (tests/pki/README.md
# lists them); keys and dates are made fresh on every run and never committed.
# Usage: tests/pki/make-test-pki.sh OUTDIR
set -euo pipefail
umask 077

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out="$1"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$out/.ca"
rm -rf "$work"
mkdir -p "$work"

# Password of every .p12 (browsers and curl need one they can be told).
p12_password="test"

# Dates as `openssl ca` wants them (GeneralizedTime, UTC).
at() { date -u -d "$1" +%Y%m%d%H%M%SZ; }
long_ago="$(at '-10 years')"
far_ahead="$(at '+10 years')"
month_ago="$(at '-30 days')"
in_two_years="$(at '+2 years')"
two_years_ago="$(at '-2 years')"
yesterday="$(at '-1 day')"
in_a_year="$(at '+1 year')"
in_three_years="$(at '+3 years')"

# One openssl-ca configuration for every authority: each has its own folder
# (database, serial) under $work/<name>, chosen with -name.
cat >"$work/ca.cnf" <<EOF
[ ca ]
default_ca = none

[ authority ]
dir = $work/\$ENV::CA_NAME
database = \$dir/index.txt
serial = \$dir/serial
crlnumber = \$dir/crlnumber
new_certs_dir = \$dir/issued
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
preserve = yes
email_in_dn = no
default_crl_days = 30

[ anything ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
surname = optional
givenName = optional
title = optional

[ root_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ intermediate_ca ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ card ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ card_email_only ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ card_no_signature ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ crl ]
authorityKeyIdentifier = keyid:always
EOF


# new_authority NAME FIRST_SERIAL
new_authority() {
  mkdir -p "$work/$1/issued"
  : >"$work/$1/index.txt"
  echo "$2" >"$work/$1/serial"
  echo 1000 >"$work/$1/crlnumber"
}

# sign AUTHORITY CA_CERT CA_KEY SUBJECT KEY OUT_PEM EXTENSIONS START END [-selfsign]
# makes KEY and a certificate for it. P-256 keys: as good as the cards' RSA
# 2048 for a test, and instant to make (the whole PKI takes about 1.5 s of CPU).
sign() {
  local authority="$1" ca_cert="$2" ca_key="$3" subject="$4" key="$5" pem="$6" ext="$7" start="$8" end="$9"
  shift 9
  openssl req -new -utf8 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$key" \
    -subj "$subject" -out "$work/request.csr" 2>/dev/null
  local issuer=(-cert "$ca_cert")
  [ "${1:-}" = "-selfsign" ] && issuer=(-selfsign)
  CA_NAME="$authority" openssl ca -batch -config "$work/ca.cnf" -name authority -utf8 -notext -preserveDN \
    "${issuer[@]}" -keyfile "$ca_key" -extensions "$ext" -startdate "$start" -enddate "$end" \
    -in "$work/request.csr" -out "$pem" 2>/dev/null
}

# authority NAME SUBJECT FIRST_SERIAL [PARENT]: a root (no parent) or an intermediate.
authority() {
  local name="$1" subject="$2" serial="$3" parent="${4:-}"
  new_authority "$name" "$serial"
  if [ -z "$parent" ]; then
    sign "$name" "" "$out/$name.key" "$subject" "$out/$name.key" "$out/$name.pem" root_ca "$long_ago" "$far_ahead" -selfsign
  else
    sign "$parent" "$out/$parent.pem" "$out/$parent.key" "$subject" "$out/$name.key" "$out/$name.pem" \
      intermediate_ca "$long_ago" "$far_ahead"
  fi
}

# leaf NAME AUTHORITY SUBJECT [EXTENSIONS] [START] [END]: a card as PEM, key, DER and PKCS#12.
leaf() {
  local name="$1" authority="$2" subject="$3" ext="${4:-card}" start="${5:-$month_ago}" end="${6:-$in_three_years}"
  sign "$authority" "$out/$authority.pem" "$out/$authority.key" "$subject" "$out/$name.key" "$out/$name.pem" \
    "$ext" "$start" "$end"
  openssl x509 -in "$out/$name.pem" -outform DER -out "$out/$name.der"
  openssl pkcs12 -export -in "$out/$name.pem" -inkey "$out/$name.key" -certfile "$out/$authority.pem" \
    -name "$name" -passout "pass:$p12_password" -out "$out/$name.p12"
}

# The card hierarchy, shaped like IGC-Santé's.
authority root-ca "/C=FR/O=PORTIER TEST/OU=0002 000000000/CN=AC RACINE TEST" 01
authority intermediate-ca "/C=FR/O=PORTIER TEST/OU=0002 000000000/CN=TEST AC IGC-SANTE FORT PERSONNES" 1001 root-ca
# Another PKI altogether: its cards chain to nothing portier trusts.
authority other-root-ca "/C=FR/O=AUTRE PKI TEST/CN=AC RACINE AUTRE TEST" 01

# CPS subjects: CN, SN and GN share one multi-valued RDN; openssl's -subj
# lists RDNs from the most general, so RFC 2253 prints
# CN=899700000013+SN=DUPONT+GN=JEAN,title=Médecin,C=FR.
cps() { echo "/C=FR/title=$1/CN=$2+SN=$3+GN=$4"; }
dupont="$(cps 'Médecin' 899700000013 DUPONT JEAN)"
leaf card-valid intermediate-ca "$dupont"
leaf card-second intermediate-ca "$(cps 'Pharmacien' 899700000021 'LEFÈVRE' 'ÉLODIE')"
leaf card-unmapped intermediate-ca "$(cps 'Médecin' 899700000039 MARTIN PAUL)"
# An establishment staff card: "3", the FINESS, "/", the staff member's
# number in that establishment (the slash escaped for -subj).
leaf card-establishment intermediate-ca "$(cps 'Secrétaire médicale' '3750300005\/0001234' ROUX CLAIRE)"
leaf card-adeli intermediate-ca "$(cps 'Infirmier' 0751234567 BERNARD LUC)"
leaf card-bad-check-digit intermediate-ca "$(cps 'Médecin' 899700000014 PETIT ANNE)"
# Refused cards of the same holder as card-valid: only the tested fault differs.
leaf card-expired intermediate-ca "$dupont" card "$two_years_ago" "$yesterday"
leaf card-not-yet-valid intermediate-ca "$dupont" card "$in_a_year" "$in_three_years"
leaf card-revoked intermediate-ca "$dupont"
leaf card-wrong-usage intermediate-ca "$dupont" card_email_only
leaf card-no-signature intermediate-ca "$dupont" card_no_signature
leaf card-wrong-ca other-root-ca "$dupont"

# CRLs (PEM and DER): the intermediate's, current, with card-revoked on it;
# the same but past its nextUpdate (a stale CRL proves nothing); the root's
# (covers the intermediate, not the cards).
crl() {
  local authority="$1" cert="$2" key="$3" file="$4" last="$5" next="$6"
  CA_NAME="$authority" openssl ca -batch -config "$work/ca.cnf" -name authority -gencrl -crlexts crl \
    -cert "$cert" -keyfile "$key" -crl_lastupdate "$last" -crl_nextupdate "$next" -out "$file" 2>/dev/null
  openssl crl -in "$file" -outform DER -out "${file%.pem}.der"
}
CA_NAME=intermediate-ca openssl ca -batch -config "$work/ca.cnf" -name authority \
  -cert "$out/intermediate-ca.pem" -keyfile "$out/intermediate-ca.key" -revoke "$out/card-revoked.pem" \
  -crl_reason keyCompromise 2>/dev/null
crl intermediate-ca "$out/intermediate-ca.pem" "$out/intermediate-ca.key" "$out/crl.pem" "$(at '-1 hour')" "$(at '+7 days')"
crl intermediate-ca "$out/intermediate-ca.pem" "$out/intermediate-ca.key" "$out/crl-stale.pem" "$(at '-14 days')" "$(at '-7 days')"
crl root-ca "$out/root-ca.pem" "$out/root-ca.key" "$out/root-crl.pem" "$(at '-1 hour')" "$(at '+30 days')"

# What a listener is configured with: roots and intermediates in one file.
cat "$out/root-ca.pem" "$out/intermediate-ca.pem" >"$out/ca-bundle.pem"

# The TLS listeners' own certificates, from a CA of their own; server-2 has
# the same names and another key (certificate reload on SIGHUP).
authority server-ca "/C=FR/O=PORTIER TEST/CN=AC SERVEURS TEST" 01
for name in server server-2; do
  sign server-ca "$out/server-ca.pem" "$out/server-ca.key" "/C=FR/O=PORTIER TEST/CN=localhost" \
    "$out/$name.key" "$out/$name.pem" server "$month_ago" "$in_a_year"
  cat "$out/$name.pem" "$out/server-ca.pem" >"$out/$name-chain.pem"
done

rm -rf "$work"
# Certificates are public; keys and PKCS#12 files stay owner-only (umask).
chmod 644 "$out"/*.pem "$out"/*.der
echo "$out"
