#!/usr/bin/python3
"""Independent oracle for MailIngest's SPF/DKIM/DMARC/ARC verdicts (issue 22).

Run with Debian's /usr/bin/python3 (python3-dkim, python3-authheaders, python3-spf, python3-dnspython):

  oracle.py generate OUTDIR              keys, OUTDIR/zone.json, OUTDIR/cases.json, OUTDIR/<case>.eml
  oracle.py verify OUTDIR --dns 127.0.0.1:PORT [--out FILE]

zone.json is the format tests/MailIngest.Testing/DnsZone.cs reads:
  {"records": [{"name", "type": TXT|A|AAAA|MX|PTR, "value", "ttl"}], "timeout": [names], "servfail": [names]}
cases.json is a list of {"name", "client_ip", "helo", "mail_from", "rcpt", "message_file", "note"}.

verify prints one JSON object: {case: {"spf": word, "dkim": [{"result", "domain", "selector"}], "dmarc":
{"result", "policy"}, "arc": word, "oracle_exception"?: text}} in RFC 8601 words. The verdicts come from
authheaders' check_spf/check_dkim/check_arc/check_dmarc (dkimpy and pyspf underneath); where those depart from the
RFCs the verdict is corrected and the case says so in "oracle_exception".

Every DNS query goes to the --dns server: one dnspython Resolver built with configure=False (so /etc/resolv.conf is
never read) is dnspython's default resolver, pyspf's DNSLookup and the dnsfunc given to dkimpy and authheaders.
"""

import argparse
import base64
import json
import os
import sys
import time

import dns.exception
import dns.flags
import dns.rdatatype
import dns.resolver

# Before dkim, spf and authheaders are imported: any lookup they make without our dnsfunc still finds only this one.
RESOLVER = dns.resolver.Resolver(configure=False)
RESOLVER.nameservers = ['127.0.0.1']
RESOLVER.port = 53
RESOLVER.timeout = 1.0
RESOLVER.lifetime = 2.0
dns.resolver.default_resolver = RESOLVER

import dkim  # noqa: E402
import spf  # noqa: E402
import authheaders  # noqa: E402
from authres import DKIMAuthenticationResult  # noqa: E402

AUTHSERV_ID = 'mx.test'
RCPT = 'inbox@ingest.test'
DATE = 'Mon, 07 Dec 2026 10:00:00 +0000'
SIGNED_HEADERS = [b'from', b'to', b'subject', b'date', b'message-id']

# ---------------------------------------------------------------------------------------------------------------
# Keys


def rsa_key(bits):
    """(PKCS#1 PEM private key for dkimpy, base64 SubjectPublicKeyInfo for p=)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                serialization.NoEncryption())
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, base64.b64encode(public).decode()


def ed25519_key():
    """(base64 seed for dkimpy, base64 raw public key for p=), RFC 8463 §4."""
    import nacl.signing
    key = nacl.signing.SigningKey.generate()
    return base64.b64encode(bytes(key)), base64.b64encode(bytes(key.verify_key)).decode()


# ---------------------------------------------------------------------------------------------------------------
# RFC 8463 Appendix A, reproduced from the RFC text: the published keys (A.2) and the signed message (A.3).

RFC8463_DNS = [
    ('brisbane._domainkey.football.example.com', 'v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='),
    ('test._domainkey.football.example.com',
     'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16J'
     'Yi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K'
     '4w3QIDAQAB'),
]

RFC8463_MESSAGE = '\r\n'.join([
    'DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;',
    ' d=football.example.com; i=@football.example.com;',
    ' q=dns/txt; s=brisbane; t=1528637909; h=from : to :',
    ' subject : date : message-id : from : subject : date;',
    ' bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;',
    ' b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus',
    ' Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==',
    'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;',
    ' d=football.example.com; i=@football.example.com;',
    ' q=dns/txt; s=test; t=1528637909; h=from : to : subject :',
    ' date : message-id : from : subject : date;',
    ' bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;',
    ' b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3',
    ' DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz',
    ' dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=',
    'From: Joe SixPack <joe@football.example.com>',
    'To: Suzie Q <suzie@shopping.example.net>',
    'Subject: Is dinner ready?',
    'Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)',
    'Message-ID: <20030712040037.46341.5F8J@football.example.com>',
    '',
    'Hi.',
    '',
    'We lost the game.  Are you hungry yet?',
    '',
    'Joe.',
    '',
]).encode()

# ---------------------------------------------------------------------------------------------------------------
# The zone


def build_zone(keys):
    records = []

    def add(name, rtype, value):
        records.append({'name': name, 'type': rtype, 'value': value, 'ttl': 300})

    def dkim_key(name, algorithm, public):
        add(name, 'TXT', 'v=DKIM1; k=%s; p=%s' % (algorithm, public))

    # example.com: the main signer; DMARC p=reject, sp=quarantine for its subdomains.
    add('example.com', 'TXT', 'v=spf1 ip4:192.0.2.0/25 ip6:2001:db8::/48 mx -all')
    add('example.com', 'MX', '10 mx.example.com')
    add('mx.example.com', 'A', '198.51.100.25')
    add('_dmarc.example.com', 'TXT', 'v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@example.com')
    add('news.example.com', 'A', '192.0.2.80')
    dkim_key('rsa1024._domainkey.example.com', 'rsa', keys['rsa1024'][1])
    dkim_key('rsa2048._domainkey.example.com', 'rsa', keys['rsa2048'][1])
    dkim_key('rsa4096._domainkey.example.com', 'rsa', keys['rsa4096'][1])
    dkim_key('ed._domainkey.example.com', 'ed25519', keys['ed25519'][1])
    # Published: another key than the one "wrongkey" signatures are made with.
    dkim_key('wrongkey._domainkey.example.com', 'rsa', keys['other1024'][1])
    add('revoked._domainkey.example.com', 'TXT', 'v=DKIM1; k=rsa; p=')
    # missing._domainkey.example.com is not in the zone; slowkey._domainkey.example.com is a timeout name.

    # example.net: p=none; its subdomains carry the SPF variants.
    add('example.net', 'TXT', 'v=spf1 ip4:198.51.100.0/24 -all')
    add('_dmarc.example.net', 'TXT', 'v=DMARC1; p=none')
    dkim_key('rsa1024._domainkey.example.net', 'rsa', keys['rsa1024'][1])
    add('softfail.example.net', 'TXT', 'v=spf1 ip4:192.0.2.10 ~all')
    add('neutral.example.net', 'TXT', 'v=spf1 ?all')
    add('nospf.example.net', 'A', '192.0.2.90')
    add('badsyntax.example.net', 'TXT', 'v=spf1 ip4:192.0.2.300 -all')
    add('include.example.net', 'TXT', 'v=spf1 include:example.com -all')
    # 11 chained includes: the 11th DNS-querying term exceeds RFC 7208 §4.6.4's limit of 10.
    add('loop.example.net', 'TXT', 'v=spf1 include:l1.loop.example.net -all')
    for i in range(1, 11):
        add('l%d.loop.example.net' % i, 'TXT', 'v=spf1 include:l%d.loop.example.net -all' % (i + 1))
    add('l11.loop.example.net', 'TXT', 'v=spf1 ip4:192.0.2.0/24 -all')

    # example.org: p=quarantine; the ARC sealer.
    add('example.org', 'TXT', 'v=spf1 ip4:203.0.113.0/25 -all')
    add('_dmarc.example.org', 'TXT', 'v=DMARC1; p=quarantine')
    dkim_key('arc._domainkey.example.org', 'rsa', keys['arc'][1])

    # example.co.uk: organizational domain under a two-label public suffix; sp= differs from p= on purpose.
    add('example.co.uk', 'TXT', 'v=spf1 ip4:192.0.2.160 -all')
    add('_dmarc.example.co.uk', 'TXT', 'v=DMARC1; p=quarantine; sp=reject')
    add('mail.example.co.uk', 'A', '192.0.2.161')

    for name, value in RFC8463_DNS:
        add(name, 'TXT', value)

    return {
        'records': records,
        'timeout': ['slow.example.net', 'slowkey._domainkey.example.com'],
        'servfail': ['broken.example.net'],
    }


# ---------------------------------------------------------------------------------------------------------------
# Messages and signatures


def message(name, from_addr, extra_headers=(), body=None):
    lines = list(extra_headers) + [
        'From: Sender <%s>' % from_addr,
        'To: Inbox <%s>' % RCPT,
        'Subject: oracle case %s' % name,
        'Date: ' + DATE,
        'Message-ID: <%s@oracle.example.com>' % name,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=us-ascii',
        '',
    ]
    body = body or ['Hello,', '', 'this is oracle case %s.' % name, 'A line with  two spaces and a tab\there.', '', '-- ',
                    'The oracle', '']
    return '\r\n'.join(lines + body).encode()


def sign(msg, keys, key, selector, domain=b'example.com', canon=(b'relaxed', b'relaxed'), length=False, expired=False):
    """A DKIM-Signature header (CRLF-terminated) for msg, by dkimpy."""
    private = keys[key][0]
    algorithm = b'ed25519-sha256' if key == 'ed25519' else b'rsa-sha256'
    signer = dkim.DKIM(msg, signature_algorithm=algorithm)
    if expired:
        # dkimpy signs no x=; add one (and a t= before it) to the tags it is about to sign, RFC 6376 §3.5.
        generate = signer.gen_header
        now = int(time.time())

        def with_expiry(fields, *rest):
            fields = [(k, v) for k, v in fields if k != b't']
            at = [k for k, _ in fields].index(b'h')
            fields[at:at] = [(b't', str(now - 2 * 86400).encode()), (b'x', str(now - 86400).encode())]
            return generate(fields, *rest)

        signer.gen_header = with_expiry
    return signer.sign(selector, domain, private, canonicalize=canon, include_headers=SIGNED_HEADERS, length=length)


def arc_seal(msg, keys):
    """The forwarder example.org records its own Authentication-Results and seals (ARC-Seal, AMS, AAR) as i=1."""
    ar = ('Authentication-Results: example.org; spf=pass smtp.mailfrom=example.com; '
          'dkim=pass header.d=example.com\r\n').encode()
    msg = ar + msg
    headers = dkim.arc_sign(msg, b'arc', b'example.org', keys['arc'][0], b'example.org',
                            include_headers=SIGNED_HEADERS)
    return b''.join(headers) + msg


def generate(outdir):
    os.makedirs(outdir, exist_ok=True)
    keys = {
        'rsa1024': rsa_key(1024), 'rsa2048': rsa_key(2048), 'rsa4096': rsa_key(4096), 'other1024': rsa_key(1024),
        'arc': rsa_key(1024), 'ed25519': ed25519_key(),
    }
    cases = []

    def case(name, client_ip, mail_from, msg, note, helo='mail.example.com'):
        path = name + '.eml'
        with open(os.path.join(outdir, path), 'wb') as f:
            f.write(msg)
        cases.append({'name': name, 'client_ip': client_ip, 'helo': helo, 'mail_from': mail_from, 'rcpt': RCPT,
                      'message_file': path, 'note': note})

    def signed(name, key, selector, **options):
        msg = message(name, 'alice@example.com')
        return sign(msg, keys, key, selector, **options) + msg

    # DKIM. The client is outside example.com's SPF record, so DMARC rests on DKIM alone.
    stranger, bounce = '203.0.113.77', 'bounce@example.com'
    case('dkim-rsa1024-relaxed', stranger, bounce, signed('dkim-rsa1024-relaxed', 'rsa1024', b'rsa1024'),
         'RSA 1024, relaxed/relaxed')
    case('dkim-rsa2048-relaxed', stranger, bounce, signed('dkim-rsa2048-relaxed', 'rsa2048', b'rsa2048'),
         'RSA 2048, relaxed/relaxed; key TXT split into several character-strings')
    case('dkim-rsa4096-relaxed', stranger, bounce, signed('dkim-rsa4096-relaxed', 'rsa4096', b'rsa4096'),
         'RSA 4096: the key answer exceeds 512 bytes, so UDP is truncated and the resolver retries over TCP')
    case('dkim-ed25519-relaxed', stranger, bounce, signed('dkim-ed25519-relaxed', 'ed25519', b'ed'),
         'Ed25519 (RFC 8463), relaxed/relaxed')
    case('dkim-rsa1024-simple', stranger, bounce,
         signed('dkim-rsa1024-simple', 'rsa1024', b'rsa1024', canon=(b'simple', b'simple')), 'RSA 1024, simple/simple')
    case('dkim-rsa2048-simple', stranger, bounce,
         signed('dkim-rsa2048-simple', 'rsa2048', b'rsa2048', canon=(b'simple', b'simple')), 'RSA 2048, simple/simple')
    case('dkim-ed25519-simple', stranger, bounce,
         signed('dkim-ed25519-simple', 'ed25519', b'ed', canon=(b'simple', b'simple')), 'Ed25519, simple/simple')
    case('dkim-length-tag', stranger, bounce, signed('dkim-length-tag', 'rsa1024', b'rsa1024', length=True),
         'l= present, body unchanged')
    case('dkim-length-tag-appended', stranger, bounce,
         signed('dkim-length-tag-appended', 'rsa1024', b'rsa1024', length=True) + b'Text appended after signing.\r\n',
         'l= covers the signed body only: text appended after it does not break the signature (RFC 6376 §8.2)')

    msg = signed('dkim-relaxed-whitespace', 'rsa1024', b'rsa1024')
    case('dkim-relaxed-whitespace', stranger, bounce, msg.replace(b'Hello,\r\n', b'Hello,   \r\n'),
         'trailing spaces added after signing: relaxed body canonicalization ignores them')
    msg = signed('dkim-simple-whitespace', 'rsa1024', b'rsa1024', canon=(b'simple', b'simple'))
    case('dkim-simple-whitespace', stranger, bounce, msg.replace(b'Hello,\r\n', b'Hello,   \r\n'),
         'trailing spaces added after signing: simple body canonicalization does not ignore them')
    msg = signed('dkim-header-refolded', 'rsa1024', b'rsa1024')
    case('dkim-header-refolded', stranger, bounce,
         msg.replace(b'Subject: oracle case', b'Subject:   oracle\r\n case'),
         'Subject refolded after signing: relaxed header canonicalization unfolds it')
    msg = signed('dkim-body-altered', 'rsa2048', b'rsa2048')
    case('dkim-body-altered', stranger, bounce, msg.replace(b'this is oracle case', b'this is ALTERED case'),
         'body changed after signing: body hash mismatch')
    msg = signed('dkim-header-altered', 'ed25519', b'ed')
    case('dkim-header-altered', stranger, bounce, msg.replace(b'Subject: oracle case', b'Subject: altered case'),
         'signed Subject changed after signing')
    case('dkim-wrong-key', stranger, bounce, signed('dkim-wrong-key', 'rsa1024', b'wrongkey'),
         'signed with a private key other than the one published at the selector')
    case('dkim-revoked-key', stranger, bounce, signed('dkim-revoked-key', 'rsa1024', b'revoked'),
         'key record has an empty p= (revoked, RFC 6376 §3.6.1)')
    case('dkim-expired', stranger, bounce, signed('dkim-expired', 'rsa1024', b'rsa1024', expired=True),
         'x= a day in the past')
    case('dkim-missing-key', stranger, bounce, signed('dkim-missing-key', 'rsa1024', b'missing'),
         'no key record at the selector (NXDOMAIN)')
    case('dkim-key-timeout', stranger, bounce, signed('dkim-key-timeout', 'rsa1024', b'slowkey'),
         'key lookup never answered')
    msg = message('dkim-two-signatures', 'alice@example.com')
    msg = sign(msg, keys, 'rsa1024', b'wrongkey') + sign(msg, keys, 'ed25519', b'ed') + msg
    case('dkim-two-signatures', stranger, bounce, msg, 'one failing (wrong key) and one passing signature')
    msg = message('dkim-third-party', 'alice@example.com')
    case('dkim-third-party', stranger, bounce, sign(msg, keys, 'rsa1024', b'rsa1024', domain=b'example.net') + msg,
         'valid signature by example.net on mail From example.com: DKIM pass, not aligned, DMARC fail')
    case('unsigned', stranger, bounce, message('unsigned', 'alice@example.com'), 'no DKIM-Signature at all')

    # SPF. Unsigned; From is the MAIL FROM address.
    def plain(name, ip, mail_from, note, extra_headers=()):
        case(name, ip, mail_from, message(name, mail_from, extra_headers), note)

    plain('spf-pass-ip4', '192.0.2.10', 'bounce@example.com', 'ip4 mechanism')
    plain('spf-pass-ip6', '2001:db8::25', 'bounce@example.com', 'ip6 mechanism')
    plain('spf-pass-mx', '198.51.100.25', 'bounce@example.com', 'mx mechanism (MX then A lookup)')
    plain('spf-pass-include', '192.0.2.20', 'bounce@include.example.net', 'include: of example.com')
    plain('spf-fail', '203.0.113.5', 'bounce@example.com', '-all')
    plain('spf-softfail', '192.0.2.99', 'bounce@softfail.example.net', '~all')
    plain('spf-neutral', '192.0.2.99', 'bounce@neutral.example.net', '?all')
    plain('spf-none', '192.0.2.99', 'bounce@nospf.example.net', 'domain exists, no SPF record')
    plain('spf-none-nxdomain', '192.0.2.99', 'bounce@nowhere.example.net', 'domain does not exist')
    plain('spf-permerror-too-many-lookups', '192.0.2.99', 'bounce@loop.example.net',
          'a chain of 11 includes: more than 10 DNS-querying terms')
    plain('spf-permerror-syntax', '192.0.2.99', 'bounce@badsyntax.example.net', 'ip4:192.0.2.300 is not an address')
    plain('spf-temperror-timeout', '192.0.2.99', 'bounce@slow.example.net', 'SPF record lookup never answered')
    plain('spf-temperror-servfail', '192.0.2.99', 'bounce@broken.example.net', 'SPF record lookup gets SERVFAIL')

    # DMARC.
    plain('dmarc-pass-via-spf-only', '192.0.2.10', 'bounce@example.com', 'SPF pass, aligned; no signature')
    case('dmarc-pass-via-dkim-only', stranger, bounce,
         signed('dmarc-pass-via-dkim-only', 'ed25519', b'ed'), 'SPF fail; DKIM pass, aligned')
    plain('dmarc-fail-p-none', '203.0.113.9', 'bounce@example.net', 'SPF fail, unsigned; p=none')
    plain('dmarc-fail-p-quarantine', '192.0.2.50', 'bounce@example.org', 'SPF fail, unsigned; p=quarantine')
    plain('dmarc-fail-p-reject', '203.0.113.5', 'bounce@example.com', 'SPF fail, unsigned; p=reject')
    plain('dmarc-subdomain-sp', '203.0.113.5', 'bounce@news.example.com',
          'From news.example.com has no _dmarc record: the org domain example.com\'s sp=quarantine applies')
    plain('dmarc-psl-org-domain-fail', '203.0.113.5', 'bounce@mail.example.co.uk',
          'org domain example.co.uk under the public suffix co.uk: its sp=reject applies to mail.example.co.uk')
    case('dmarc-psl-org-domain-pass', '192.0.2.160', 'bounce@example.co.uk',
         message('dmarc-psl-org-domain-pass', 'alice@mail.example.co.uk'),
         'SPF pass for example.co.uk, relaxed-aligned with From mail.example.co.uk')
    plain('dmarc-none', '192.0.2.99', 'bounce@nodmarc.example', 'no DMARC record anywhere')
    plain('forged-authentication-results', '203.0.113.9', 'bounce@example.net',
          'carries a forged "Authentication-Results: %s; dkim=pass" that must be ignored and removed' % AUTHSERV_ID,
          extra_headers=['Authentication-Results: %s; dkim=pass header.d=example.net; spf=pass '
                         'smtp.mailfrom=example.net; dmarc=pass header.from=example.net' % AUTHSERV_ID])

    # ARC: signed by example.com, then forwarded and sealed by example.org.
    original = signed('arc-pass', 'ed25519', b'ed')
    case('arc-pass', '203.0.113.50', 'bounce@example.org', arc_seal(original, keys),
         'ARC set i=1 sealed by example.org, unchanged since')
    sealed = arc_seal(signed('arc-fail-altered', 'ed25519', b'ed'), keys)
    case('arc-fail-altered', '203.0.113.50', 'bounce@example.org',
         sealed.replace(b'this is oracle case', b'this is ALTERED case'), 'body changed after sealing')

    case('rfc8463-appendix-a', '192.0.2.99', 'joe@football.example.com', RFC8463_MESSAGE,
         'RFC 8463 Appendix A.3 verbatim: ed25519 (brisbane) and rsa (test) signatures', helo='football.example.com')

    with open(os.path.join(outdir, 'zone.json'), 'w') as f:
        json.dump(build_zone(keys), f, indent=1)
    with open(os.path.join(outdir, 'cases.json'), 'w') as f:
        json.dump(cases, f, indent=1)


# ---------------------------------------------------------------------------------------------------------------
# Verification

TEMPORARY = (dns.exception.Timeout, dns.resolver.NoNameservers)


def records(name, rtype):
    """The answer's records ([] for NXDOMAIN and NODATA); a timeout or SERVFAIL raises one of TEMPORARY."""
    try:
        return list(RESOLVER.resolve(name, rtype, raise_on_no_answer=False, search=False).rrset or [])
    except dns.resolver.NXDOMAIN:
        return []


def dkim_txt(name, timeout=5):
    """dkimpy's dnsfunc: the first TXT record at name (bytes) as one byte string, or None."""
    try:
        found = records(name.decode('ascii'), 'TXT')
    except TEMPORARY as e:
        raise dkim.DnsTimeoutError('%s: %s' % (name, e))
    return b''.join(found[0].strings) if found else None


def dmarc_txt(name):
    """authheaders' DMARC dnsfunc: the first TXT record at name (str), or None."""
    found = records(name, 'TXT')
    return b''.join(found[0].strings).decode() if found else None


def spf_lookup(name, qtype, strict=True, timeout=20):
    """pyspf's DNSLookup, as its own DNSLookup_dnspython but through RESOLVER."""
    try:
        found = records(name, qtype)
    except TEMPORARY as e:
        raise spf.TempError('DNS %s' % e)
    if qtype in ('A', 'AAAA'):
        return [((name, qtype), r.address) for r in found]
    if qtype == 'MX':
        return [((name, qtype), (r.preference, r.exchange)) for r in found]
    if qtype == 'PTR':
        return [((name, qtype), r.target.to_text(True)) for r in found]
    return [((name, qtype), list(r.strings)) for r in found]


spf.DNSLookup = spf_lookup


def signatures(msg):
    """(domain, selector) of each DKIM-Signature, top first."""
    headers, _ = dkim.rfc822_parse(msg)
    found = []
    for name, value in headers:
        if name.lower() == b'dkim-signature':
            tags = dkim.util.parse_tag_value(value)
            found.append((tags.get(b'd', b'').decode(), tags.get(b's', b'').decode()))
    return found


def check_dkim(msg, exceptions):
    """One verdict per signature. dkimpy says only True or False; RFC 8601 §2.7.1 tells errors from failures."""
    verdicts = []
    for idx, (domain, selector) in enumerate(signatures(msg)):
        try:
            raw = 'pass' if dkim.DKIM(msg).verify(idx=idx, dnsfunc=dkim_txt) else 'fail'
        except dkim.DnsTimeoutError:
            raw = 'temperror'
        except dkim.DKIMException:
            # DKIM.verify raises for a failed check (body hash mismatch, bad tags) where dkim.verify says False.
            raw = 'fail'
        result = raw
        if raw == 'fail':
            try:
                key = dkim_txt(('%s._domainkey.%s' % (selector, domain)).encode())
                if key is None:
                    result = 'permerror'
                    exceptions.append('dkimpy says fail for %s/%s whose key record does not exist; RFC 6376 §6.1.2 '
                                      'PERMFAIL (no key), RFC 8601 §2.7.1 permerror' % (domain, selector))
                elif dkim.util.parse_tag_value(key).get(b'p', b'x').strip() == b'':
                    result = 'permerror'
                    exceptions.append('dkimpy says fail for %s/%s whose key is revoked (p=); RFC 6376 §3.6.1 '
                                      'PERMFAIL (key revoked), RFC 8601 §2.7.1 permerror' % (domain, selector))
            except dkim.DnsTimeoutError:
                result = 'temperror'
                exceptions.append('dkimpy says fail for %s/%s whose key lookup failed for now; RFC 6376 §6.1.2 '
                                  'TEMPFAIL, RFC 8601 temperror' % (domain, selector))
        verdicts.append({'result': result, 'domain': domain, 'selector': selector})
    if not verdicts:
        exceptions.append('authheaders.check_dkim says fail for an unsigned message; RFC 8601 §2.7.1: none')
        verdicts.append({'result': 'none', 'domain': None, 'selector': None})
    return verdicts


def check_dmarc(msg, spf_result, dkim_verdicts, exceptions):
    """RFC 7489 §4.2: pass when SPF or any DKIM signature passes aligned. authheaders weighs only the first signature."""
    from_domain = from_header_domain(msg)
    if from_domain is None:
        return {'result': 'none', 'policy': None}
    org = authheaders.dmarc_lookup.get_org_domain(from_domain)
    if '.' not in org:
        exceptions.append('authheaders takes %s for the organizational domain of %s (publicsuffix2 without the PSL '
                          '"*" rule); RFC 7489 §3.2 gives %s; verdict unaffected here (no DMARC record on either)'
                          % (org, from_domain, '.'.join(from_domain.split('.')[-2:])))
    passing = [DKIMAuthenticationResult(result='pass', header_d=v['domain']) for v in dkim_verdicts
               if v['result'] == 'pass'] or [None]
    outcomes = [authheaders.dmarc_per_from(from_domain, spf_copy(spf_result), d, dmarc_txt) for d in passing]
    result, _, _, policy = next((o for o in outcomes if o[0] == 'pass'), outcomes[0])
    if result != 'none':
        record, from_org_domain = authheaders.dmarc_lookup.receiver_record(from_domain, dnsfunc=dmarc_txt)
        applies = record.get('sp', record['p']) if from_org_domain else record['p']
        if applies != policy:
            exceptions.append('authheaders gives policy %s (it applies sp= to the domain whose own record it read); '
                              'RFC 7489 §6.3: sp= is for subdomains only, so %s' % (policy, applies))
            policy = applies

    first = authheaders.check_dkim(msg, dnsfunc=dkim_txt) if signatures(msg) else None
    raw = authheaders.check_dmarc(msg, spf_copy(spf_result), first, dnsfunc=dmarc_txt).result
    if raw != result:
        exceptions.append('authheaders.check_dmarc says %s (it weighs only the first DKIM signature); RFC 7489 §4.2 '
                          'any aligned passing signature: %s' % (raw, result))
    return {'result': result, 'policy': policy or None}


def spf_copy(spf_result):
    # dmarc_per_from rewrites smtp_mailfrom in place.
    return authheaders.SPFAuthenticationResult(result=spf_result.result, smtp_mailfrom=spf_result.smtp_mailfrom,
                                               smtp_helo=spf_result.smtp_helo)


def from_header_domain(msg):
    from email.utils import getaddresses
    headers, _ = dkim.rfc822_parse(msg)
    found = getaddresses(v.decode(errors='ignore').strip() for n, v in headers if n.lower() == b'from')
    return found[0][1].rsplit('@', 1)[1].lower() if len(found) == 1 and '@' in found[0][1] else None


def verify(outdir, dns_endpoint, out=None):
    host, port = dns_endpoint.rsplit(':', 1)
    RESOLVER.nameservers = [host]
    RESOLVER.port = int(port)
    with open(os.path.join(outdir, 'cases.json')) as f:
        cases = json.load(f)
    verdicts = {}
    for case in cases:
        with open(os.path.join(outdir, case['message_file']), 'rb') as f:
            msg = f.read()
        exceptions = []
        spf_result = authheaders.check_spf(case['client_ip'], case['mail_from'], case['helo'])
        dkim_verdicts = check_dkim(msg, exceptions)
        cv, _, _ = dkim.arc_verify(msg, dnsfunc=dkim_txt)
        verdict = {
            'spf': spf_result.result,
            'dkim': dkim_verdicts,
            'dmarc': check_dmarc(msg, spf_result, dkim_verdicts, exceptions),
            'arc': cv.decode(),
        }
        if exceptions:
            verdict['oracle_exception'] = '; '.join(exceptions)
        verdicts[case['name']] = verdict
    json.dump(verdicts, sys.stdout, indent=1)
    print()
    if out:
        with open(out, 'w') as f:
            json.dump(verdicts, f, indent=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    commands = parser.add_subparsers(dest='command', required=True)
    commands.add_parser('generate').add_argument('outdir')
    check = commands.add_parser('verify')
    check.add_argument('outdir')
    check.add_argument('--dns', required=True, help='the only DNS server asked, 127.0.0.1:PORT')
    check.add_argument('--out', help='also write the verdicts to this file (stdout may carry warnings too)')
    args = parser.parse_args()
    if args.command == 'generate':
        generate(args.outdir)
    else:
        verify(args.outdir, args.dns, args.out)


if __name__ == '__main__':
    main()
