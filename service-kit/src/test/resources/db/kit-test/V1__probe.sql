CREATE TABLE kit_probe (
    id   BIGINT PRIMARY KEY,
    name TEXT NOT NULL
);
