# User programs: each becomes a GRUB boot module (none yet).
USER_PROGRAMS :=
