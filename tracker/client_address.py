"""Who a rate limit counts against: the client's address, or its /64 for IPv6."""

import ipaddress

from flask import request

# One IPv6 subscriber is routinely given a whole /64 (SLAAC, privacy addresses): keyed by the
# full address, a client could rotate through 2**64 of them and never meet a limit.
IPV6_CLIENT_PREFIX = 64


def client_key(address: str | None = None) -> str:
    """The rate-limit key of `address` (the request's by default): an IPv4 address as it is,
    an IPv4-mapped IPv6 address as its IPv4 address, any other IPv6 address as its /64."""
    text = request.remote_addr if address is None else address
    try:
        ip = ipaddress.ip_address(text or "")
    except ValueError:
        return text or "unknown"
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(ip)
