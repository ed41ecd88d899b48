"""Runs Frontegg's official Python SDK (the ``frontegg`` package) against an
emulator, in a process of its own: the SDK reads its URLs from the
environment once, at import. Prints one JSON object of what it saw.

Usage: python frontegg_sdk_probe.py BASE_URL CLIENT_ID SECRET USER_TOKEN
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict


def main() -> int:
    base_url, client_id, secret, user_token = sys.argv[1:5]
    os.environ["FRONTEGG_API_GATEWAY_URL"] = base_url
    from frontegg.common import FronteggAuthenticator, IdentityClientMixin
    from frontegg.common.clients import HttpClient

    out: Dict[str, Any] = {}
    # POST {base}/auth/vendor/ with {"clientId", "secret"}.
    authenticator = FronteggAuthenticator(client_id, secret)
    out["vendor_token"] = authenticator.access_token

    # Fetches publicKey from {base}/identity/resources/configurations/v1/
    # with x-access-token, then verifies the token RS256 and checks its type,
    # roles and permissions.
    identity = IdentityClientMixin(authenticator)
    entity = identity.validate_identity_on_token(
        "Bearer " + user_token, {"roles": ["admin"], "permissions": ["fe.phone.read"]}
    )
    out["entity"] = {k: entity.get(k) for k in ("sub", "tenantId", "roles", "permissions", "type")}
    for name, options in {
        "missing_role": {"roles": ["owner"]},
        "missing_permission": {"permissions": ["fe.phone.write"]},
    }.items():
        try:
            identity.validate_identity_on_token(user_token, options)
            out[name] = "accepted"
        except Exception as e:  # noqa: BLE001 - the SDK raises its own types
            out[name] = type(e).__name__
    try:
        identity.validate_identity_on_token(user_token[:-4] + "AAAA")
        out["tampered"] = "accepted"
    except Exception as e:  # noqa: BLE001
        out["tampered"] = type(e).__name__

    # A phone route, called by the SDK's own HTTP client (x-access-token).
    http = HttpClient(client_id, secret, base_url.rstrip("/") + "/identity/")
    res = http.get("resources/users/phone-numbers/v2", tenant_id="tenant-1")
    out["phone_route"] = {"status": res.status_code, "body": res.json()}
    out["sent_header"] = "x-access-token" in res.request.headers
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
