"""The replica: ops, merge, rules, scoring and the SQLite store; free of Qt and the network."""
