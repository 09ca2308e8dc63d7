#!/usr/bin/env python3
"""Writes the small ASN database the director's GeoIP tests use (.build-geo/Test-ASN.mmdb).

Made with the PyPI package mmdb-writer (which .ci/run installs into .build-geo/venv), in the
layout of MaxMind's GeoLite2-ASN files: `autonomous_system_number` and
`autonomous_system_organization` per network. The networks are those of addresses the 2018
GeoLite2 City file places (GB, FR), with AS numbers from the documentation ranges (RFC 5398);
one is above 65535, so that the 32-bit encoding is read too.

Usage: .build-geo/venv/bin/python .ci/make-test-asn-db.py OUTPUT.mmdb
"""
import sys

from mmdb_writer import MMDBWriter
from netaddr import IPSet

NETWORKS = [
    ("81.2.69.0/24", 64500, "Test network in GB"),
    ("194.254.3.0/24", 4200000001, "Test network in FR"),
    ("2001:db8:1::/48", 64501, "Test network, IPv6"),
]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="GeoLite2-ASN",
                        languages=["en"], description="mirrorscope test ASN database")
    for network, number, organisation in NETWORKS:
        writer.insert_network(IPSet([network]), {
            "autonomous_system_number": number,
            "autonomous_system_organization": organisation,
        })
    writer.to_db_file(sys.argv[1])


if __name__ == "__main__":
    main()
