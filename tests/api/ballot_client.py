"""A council member's app, for the tests: the client half of the ballot
(docs/ballot.md), on libsodium's ristretto255 through ctypes.

The token is drawn and blinded here, never by the service: what the service
sees at issuance (the blinded element) and at casting (the token and its
unblinded evaluation) cannot be joined without the blinding scalar, which
never leaves this object.
"""

import ctypes
import ctypes.util
import hashlib
import os

_lib = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
if _lib.sodium_init() < 0:
    raise RuntimeError("sodium_init failed")

TAG = b"thidua-ballot-v1"


def _buf(data=None):
    b = ctypes.create_string_buffer(32)
    if data is not None:
        ctypes.memmove(b, data, 32)
    return b


def token_point(session_id, token):
    """H(session, token): ristretto255 from SHA-512 of tag, id, token."""
    h = hashlib.sha512(TAG + session_id.to_bytes(8, "big") + token).digest()
    out = _buf()
    _lib.crypto_core_ristretto255_from_hash(out, ctypes.create_string_buffer(h, 64))
    return out.raw


def mult(scalar, point):
    out = _buf()
    if _lib.crypto_scalarmult_ristretto255(out, _buf(scalar), _buf(point)) != 0:
        raise ValueError("identity")
    return out.raw


def mult_base(scalar):
    out = _buf()
    _lib.crypto_scalarmult_ristretto255_base(out, _buf(scalar))
    return out.raw


def keypair():
    """A session's key pair as the service draws it: (k, K = k·G)."""
    k = _buf()
    _lib.crypto_core_ristretto255_scalar_random(k)
    return k.raw, mult_base(k.raw)


class Member:
    """One member's ballot token, from blinding to casting."""

    def __init__(self, session_id):
        self.session_id = session_id
        self.token = os.urandom(32)
        r = _buf()
        _lib.crypto_core_ristretto255_scalar_random(r)
        self._blind = r.raw
        self.blinded = mult(self._blind, token_point(session_id, self.token))
        self.evaluation = None

    def unblind(self, evaluation_hex):
        inv = _buf()
        if _lib.crypto_core_ristretto255_scalar_invert(inv, _buf(self._blind)) != 0:
            raise ValueError("zero scalar")
        self.evaluation = mult(inv.raw, bytes.fromhex(evaluation_hex))
        return self.evaluation

    def ballot(self, votes):
        """The body of the cast; a token never evaluated carries a guess."""
        evaluation = self.evaluation if self.evaluation is not None else os.urandom(32)
        return {"token": self.token.hex(), "evaluation": evaluation.hex(),
                "votes": {str(k): v for k, v in votes.items()}}


def check_published(session_id, secret_hex, key_hex, token_hex, evaluation_hex):
    """What anyone can check after the close: K = k·G and N = k·H(t)."""
    k = bytes.fromhex(secret_hex)
    return (mult_base(k).hex() == key_hex
            and mult(k, token_point(session_id, bytes.fromhex(token_hex))).hex()
            == evaluation_hex)


def ballot_line(token_hex, evaluation_hex, votes):
    ids = sorted(votes, key=int)
    return f"{token_hex} {evaluation_hex} " + ",".join(f"{i}={votes[i]}" for i in ids) + "\n"
