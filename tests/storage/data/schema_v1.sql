-- The schema of Tallyboard's first release (user_version 1), frozen: migrations start from it.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE op (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            device TEXT NOT NULL,
            n INTEGER NOT NULL,
            hlc TEXT NOT NULL,
            author TEXT NOT NULL,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            body TEXT NOT NULL,
            sig TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected')),
            code TEXT,
            message TEXT,
            UNIQUE (device, n)
        );
CREATE INDEX op_key ON op (key, hlc);
CREATE INDEX op_pending ON op (status, device, n);
CREATE TABLE vv (device TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE state (
            key TEXT PRIMARY KEY,
            hlc TEXT NOT NULL,
            op_id TEXT NOT NULL,
            author TEXT NOT NULL,
            value TEXT
        );
CREATE TABLE join_code (
            code TEXT PRIMARY KEY,
            role TEXT NOT NULL CHECK (role IN ('judge', 'team', 'display')),
            subject TEXT,
            created_ms INTEGER NOT NULL
        );
CREATE TABLE token (
            hash TEXT PRIMARY KEY,
            device TEXT NOT NULL,
            created_ms INTEGER NOT NULL
        );
