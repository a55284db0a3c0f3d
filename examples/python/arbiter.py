# Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
"""A binding of arbiter's C API (include/arbiter/c.h) for Python, with ctypes.

It shows how a language binds arbiter: load libarbiter_c.so, declare the
signatures, wrap each handle in an object whose finalizer calls *_destroy,
and turn an errptr message into an exception. Only the standard library is
used.

    import arbiter
    lib = arbiter.load("build/libarbiter_c.so")
    policies = arbiter.PolicySet(lib, 'permit (principal, action, resource);')
    entities = arbiter.Entities(lib, '[]')
    request = arbiter.Request(lib, {"principal": 'User::"a"',
                                    "action": 'Action::"view"',
                                    "resource": 'Photo::"p"'})
    answer = arbiter.authorize(lib, policies, entities, request)
    answer.allowed, answer.reasons, answer.errors

Text from someone else is parsed with explicit limits (c.h documents each
default); a parse beyond one raises ArbiterError naming the limit:
    strict = arbiter.Limits(lib, json_max_bytes=64 << 10, json_max_depth=8)
    request = arbiter.Request(lib, untrusted_json, limits=strict)

Run as a script, it checks itself against a build:
    python3 examples/python/arbiter.py build/libarbiter_c.so
"""

import ctypes
import json
import sys

ALLOW, DENY, ERROR = 1, 0, -1


class ArbiterError(Exception):
    """A failed parse: the message names the file, line and column."""


def load(path):
    """Loads libarbiter_c.so and declares the functions used here."""
    lib = ctypes.CDLL(path)
    c_char_pp = ctypes.POINTER(ctypes.c_char_p)
    handle = ctypes.c_void_p
    sig = {
        "arbiter_version": (ctypes.c_char_p, []),
        "arbiter_free": (None, [ctypes.c_void_p]),
        "arbiter_limits_create": (handle, []),
        "arbiter_limits_destroy": (None, [handle]),
        "arbiter_policy_set_parse_with_limits": (
            handle, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, handle,
                     c_char_pp]),
        "arbiter_policy_set_destroy": (None, [handle]),
        "arbiter_policy_set_size": (ctypes.c_size_t, [handle]),
        "arbiter_schema_parse_with_limits": (
            handle, [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, handle,
                     c_char_pp]),
        "arbiter_schema_destroy": (None, [handle]),
        "arbiter_entities_parse_json_with_limits": (
            handle, [ctypes.c_char_p, ctypes.c_size_t, handle, handle, c_char_pp]),
        "arbiter_entities_destroy": (None, [handle]),
        "arbiter_request_parse_json_with_limits": (
            handle, [ctypes.c_char_p, ctypes.c_size_t, handle, handle, c_char_pp]),
        "arbiter_request_destroy": (None, [handle]),
        "arbiter_response_create": (handle, []),
        "arbiter_response_destroy": (None, [handle]),
        "arbiter_authorize": (ctypes.c_int, [handle, handle, handle, handle]),
        "arbiter_response_reason_count": (ctypes.c_size_t, [handle]),
        "arbiter_response_reason": (
            ctypes.c_char_p, [handle, ctypes.c_size_t, ctypes.c_void_p]),
        "arbiter_response_error_count": (ctypes.c_size_t, [handle]),
        "arbiter_response_error_policy": (
            ctypes.c_char_p, [handle, ctypes.c_size_t, ctypes.c_void_p]),
        "arbiter_response_error_message": (
            ctypes.c_char_p, [handle, ctypes.c_size_t, ctypes.c_void_p]),
    }
    for limit in Limits.NAMES:
        sig["arbiter_limits_set_" + limit] = (None, [handle, ctypes.c_size_t])
    for name, (restype, argtypes) in sig.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return lib


class _Handle:
    """Owns one C handle; destroyed with its Python object."""

    _destroy = None

    def __init__(self, lib, ptr):
        self._lib = lib
        self._ptr = ptr

    def __del__(self):
        if getattr(self, "_ptr", None):
            getattr(self._lib, self._destroy)(self._ptr)
            self._ptr = None


def _parse(lib, fn, text, *extra):
    """Calls an arbiter_*_parse function; raises ArbiterError on failure."""
    data = text.encode("utf-8")
    err = ctypes.c_char_p()
    ptr = getattr(lib, fn)(data, len(data), *extra, ctypes.byref(err))
    if not ptr:
        message = err.value.decode("utf-8") if err.value else "unknown error"
        lib.arbiter_free(ctypes.cast(err, ctypes.c_void_p))
        raise ArbiterError(message)
    return ptr


class Limits(_Handle):
    """Parse limits, passed as `limits=` to the parsing classes below.

    Keyword arguments name the arbiter_limits_set_* functions of c.h; those
    not given keep their defaults. Only read by parses, so one object may
    serve any number of them."""

    _destroy = "arbiter_limits_destroy"
    NAMES = ("policy_max_bytes", "policy_max_depth", "schema_max_bytes",
             "schema_max_depth", "max_errors", "json_max_bytes", "json_max_depth")

    def __init__(self, lib, **limits):
        super().__init__(lib, lib.arbiter_limits_create())
        for name, value in limits.items():
            if name not in self.NAMES:
                raise TypeError("unknown limit %r (one of %s)" % (name, ", ".join(self.NAMES)))
            getattr(lib, "arbiter_limits_set_" + name)(self._ptr, value)


def _limits(limits):
    return limits._ptr if limits else None


class PolicySet(_Handle):
    _destroy = "arbiter_policy_set_destroy"

    def __init__(self, lib, text, file_name="<policies>", limits=None):
        super().__init__(lib, _parse(lib, "arbiter_policy_set_parse_with_limits", text,
                                     file_name.encode("utf-8"), _limits(limits)))

    def __len__(self):
        return self._lib.arbiter_policy_set_size(self._ptr)


class Schema(_Handle):
    _destroy = "arbiter_schema_destroy"

    def __init__(self, lib, text, file_name="<schema>", limits=None):
        super().__init__(lib, _parse(lib, "arbiter_schema_parse_with_limits", text,
                                     file_name.encode("utf-8"), _limits(limits)))


class Entities(_Handle):
    _destroy = "arbiter_entities_destroy"

    def __init__(self, lib, json_text, schema=None, limits=None):
        super().__init__(lib, _parse(lib, "arbiter_entities_parse_json_with_limits",
                                     json_text, schema._ptr if schema else None,
                                     _limits(limits)))


class Request(_Handle):
    _destroy = "arbiter_request_destroy"

    def __init__(self, lib, request, schema=None, limits=None):
        text = request if isinstance(request, str) else json.dumps(request)
        super().__init__(lib, _parse(lib, "arbiter_request_parse_json_with_limits",
                                     text, schema._ptr if schema else None,
                                     _limits(limits)))


class Answer:
    def __init__(self, allowed, reasons, errors):
        self.allowed = allowed
        self.reasons = reasons  # policy ids, in policy-set order
        self.errors = errors    # (policy id, message) pairs


class Decider(_Handle):
    """Decides requests with one reused response (one per thread)."""

    _destroy = "arbiter_response_destroy"

    def __init__(self, lib):
        super().__init__(lib, lib.arbiter_response_create())

    def authorize(self, policies, entities, request):
        lib, r = self._lib, self._ptr
        decision = lib.arbiter_authorize(policies._ptr, entities._ptr,
                                         request._ptr, r)
        if decision == ERROR:
            raise ArbiterError("authorize: a NULL argument")
        reasons = [lib.arbiter_response_reason(r, i, None).decode()
                   for i in range(lib.arbiter_response_reason_count(r))]
        errors = [(lib.arbiter_response_error_policy(r, i, None).decode(),
                   lib.arbiter_response_error_message(r, i, None).decode())
                  for i in range(lib.arbiter_response_error_count(r))]
        return Answer(decision == ALLOW, reasons, errors)


def authorize(lib, policies, entities, request):
    return Decider(lib).authorize(policies, entities, request)


def _self_check(path):
    """Exercises the binding; exits non-zero on the first wrong answer."""
    lib = load(path)
    assert lib.arbiter_version().decode().count(".") == 2
    policies = PolicySet(lib, """
        permit (principal == User::"alice", action == Action::"view", resource);
        forbid (principal, action, resource) when { resource.private };
        permit (principal, action == Action::"edit", resource)
          when { principal.level > 3 };
    """, "p.cedar")
    assert len(policies) == 3
    entities = Entities(lib, json.dumps([
        {"uid": {"type": "User", "id": "alice"}, "attrs": {"level": 5}, "parents": []},
        {"uid": {"type": "User", "id": "bob"}, "attrs": {}, "parents": []},
        {"uid": {"type": "Photo", "id": "p1"}, "attrs": {"private": False}, "parents": []},
        {"uid": {"type": "Photo", "id": "p2"}, "attrs": {"private": True}, "parents": []},
    ]))
    decider = Decider(lib)

    def ask(principal, action, resource):
        return decider.authorize(policies, entities, Request(lib, {
            "principal": principal, "action": action, "resource": resource}))

    a = ask('User::"alice"', 'Action::"view"', 'Photo::"p1"')
    assert a.allowed and a.reasons == ["policy0"] and a.errors == [], vars(a)
    a = ask('User::"alice"', 'Action::"view"', 'Photo::"p2"')
    assert not a.allowed and a.reasons == ["policy1"], vars(a)
    a = ask('User::"bob"', 'Action::"edit"', 'Photo::"p1"')
    assert not a.allowed and a.reasons == [], vars(a)
    assert [p for p, _ in a.errors] == ["policy2"], vars(a)
    assert "does not have the attribute `level`" in a.errors[0][1], vars(a)
    try:
        PolicySet(lib, "permit (principal, action, resource)\nwhen { 1 + };", "bad.cedar")
        raise AssertionError("a parse error was not reported")
    except ArbiterError as e:
        assert "bad.cedar:2:" in str(e), str(e)
    try:
        Request(lib, {"principal": 'User::"a"'})
        raise AssertionError("a missing action was not reported")
    except ArbiterError as e:
        assert "missing `action`" in str(e), str(e)
    _check_limits(lib)
    print("arbiter.py: all checks passed (arbiter %s)" % lib.arbiter_version().decode())


def _check_limits(lib):
    """Each parser honours its limits; the defaults accept the same input."""
    def rejects(make, limit):
        try:
            make()
        except ArbiterError as e:
            return limit in str(e)
        return False

    nested = '{"principal": "User::\\"a\\"", "action": "Action::\\"v\\"", ' \
             '"resource": "Photo::\\"p\\"", "context": {"a": {"b": {"c": 1}}}}'
    entities = '[{"uid": {"type": "User", "id": "a"}, "attrs": {}, "parents": []}]'
    text = "permit (principal, action, resource) when { ((((1)))) == 1 };"
    schema = "entity User; action view appliesTo { principal: User, resource: User };"
    # (class, input the defaults accept, a limit it breaks, a word of the message)
    cases = [
        (Request, nested, {"json_max_depth": 2}, "depth"),
        (Entities, entities, {"json_max_bytes": 16}, "bytes"),
        (PolicySet, text, {"policy_max_depth": 3}, "nest"),
        (PolicySet, text, {"policy_max_bytes": 10}, "bytes"),
        (Schema, schema, {"schema_max_bytes": 10}, "bytes"),
    ]
    for cls, arg, limit, word in cases:
        cls(lib, arg)
        assert rejects(lambda: cls(lib, arg, limits=Limits(lib, **limit)), word), \
            "%s accepted input past %s" % (cls.__name__, limit)
    # A request's context record is the first level, as in c.h.
    Request(lib, nested, limits=Limits(lib, json_max_depth=3))
    try:
        Limits(lib, json_depth=3)
        raise AssertionError("an unknown limit name was accepted")
    except TypeError:
        pass


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 arbiter.py path/to/libarbiter_c.so")
    _self_check(sys.argv[1])
