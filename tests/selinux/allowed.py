#!/usr/bin/python3
"""allowed.py POLICY: which of the given rules a binary policy has.

Reads lines on stdin, each one of
    allow SOURCE TARGET CLASS PERM
    type_transition SOURCE TARGET CLASS NEW-TYPE
and prints back those that POLICY grants: an allow whether the rule names
the types themselves or attributes that hold them, a type transition when
the policy gives that new type for SOURCE creating a CLASS object in a
TARGET directory; a conditional rule counts only when its booleans, at
their default values, switch it on.  The enforcing boot test uses it to
tell which of nestbox's rules a container policy lacks (those are the
rules whose removal must break a run) from those it has by itself.

One pass over the rules of each source, then set lookups: asking sesearch
once per permission would load the policy each time.
"""

import sys

import setools


def switched_on(rule, states):
    """False for a conditional rule its booleans switch off."""
    try:
        cond = rule.conditional
    except setools.exception.RuleNotConditional:
        return True
    active = cond.evaluate(**{str(b): states[str(b)] for b in cond.booleans})
    return active == rule.conditional_block


def granted(policy, source, states):
    """The (kind, target type, class, perm or new type) of source's rules."""
    found = set()
    try:
        policy.lookup_type_or_attr(source)
    except setools.exception.InvalidType:
        return found
    query = setools.TERuleQuery(policy, ruletype=["allow", "type_transition"], source=source)
    for rule in query.results():
        if not switched_on(rule, states):
            continue
        kind = str(rule.ruletype)
        for target in rule.target.expand():
            if kind == "allow":
                for perm in rule.perms:
                    found.add((kind, str(target), str(rule.tclass), perm))
            else:
                found.add((kind, str(target), str(rule.tclass), str(rule.default)))
    return found


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: allowed.py POLICY <RULES\n")
        return 2
    policy = setools.SELinuxPolicy(sys.argv[1])
    states = {str(b): b.state for b in policy.bools()}
    by_source = {}
    for line in sys.stdin:
        words = line.split()
        if len(words) != 5 or words[0] not in ("allow", "type_transition"):
            continue
        kind, source = words[0], words[1]
        if source not in by_source:
            by_source[source] = granted(policy, source, states)
        if (kind, words[2], words[3], words[4]) in by_source[source]:
            print(" ".join(words))
    return 0


if __name__ == "__main__":
    sys.exit(main())
