// Conventions for every entity grain:
// - Get answers null when the entity was never created; commands on it throw EntityNotFoundException.
// - Commands validate everything first and throw DomainValidationException naming the fields; nothing changes then.
// - expectedVersion, when given, must equal the stored version, else VersionConflictException.
// - A command returns only after the new state is persisted; its result carries the new version.
// - Reads interleave: they answer the last persisted state, never a change still being written.
