"""Field encryption (AES-256-GCM) and keyed blind indexes (HMAC-SHA256) for personal data.

Keys come from ``settings.PII_KEY`` (env ``ZHULAO_PII_KEY`` or its ``_FILE``; a development
instance generates one into ``var/``), never from the database. Two keys are derived with HKDF:
one encrypts, one indexes. Each ciphertext names its key id, so a wrong key fails loudly instead of
returning garbage, and old keys listed in ``settings.PII_OLD_KEYS`` still decrypt during a rotation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PREFIX = "v1"


class CryptoError(Exception):
    """A ciphertext was made with a key we do not hold, or it was altered."""


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"zhulao-pii", info=info).derive(secret.encode())


@lru_cache(maxsize=8)
def _keys(secret: str) -> tuple[str, bytes, bytes]:
    enc = _derive(secret, b"encrypt-v1")
    index = _derive(secret, b"blind-index-v1")
    kid = hashlib.sha256(enc).hexdigest()[:8]
    return kid, enc, index


def _current() -> tuple[str, bytes, bytes]:
    return _keys(settings.PII_KEY)


def _by_kid(kid: str) -> bytes:
    for secret in [settings.PII_KEY, *getattr(settings, "PII_OLD_KEYS", [])]:
        candidate, enc, _index = _keys(secret)
        if candidate == kid:
            return enc
    raise CryptoError(f"no key with id {kid} is configured (wrong ZHULAO_PII_KEY?)")


def encrypt(plaintext: str) -> str:
    kid, enc, _index = _current()
    nonce = os.urandom(12)
    sealed = AESGCM(enc).encrypt(nonce, plaintext.encode(), kid.encode())
    return f"{PREFIX}${kid}${base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    try:
        prefix, kid, body = token.split("$", 2)
    except ValueError as exc:
        raise CryptoError("not an encrypted value") from exc
    if prefix != PREFIX:
        raise CryptoError(f"unknown format {prefix}")
    raw = base64.urlsafe_b64decode(body)
    try:
        return AESGCM(_by_kid(kid)).decrypt(raw[:12], raw[12:], kid.encode()).decode()
    except InvalidTag as exc:
        raise CryptoError("ciphertext was altered or the key is wrong") from exc


def key_id(token: str) -> str:
    return token.split("$", 2)[1]


def blind_index(kind: str, normalized: str) -> str:
    """A keyed hash for exact lookup and uniqueness: equal inputs give equal indexes, nothing else leaks."""
    _kid, _enc, index = _current()
    return hmac.new(index, f"{kind}:{normalized}".encode(), hashlib.sha256).hexdigest()
