"""The local record of recognitions, built from certification's events, against which regional
and national entries are checked (no call to another service)."""

from __future__ import annotations

from cnnt_runtime.db import replicas
from cnnt_runtime.db.types import table_of
from registration.adapters.tables import RecognitionRow, RevocationRow

RecognitionEvent = replicas.RecognitionEvent


recognitions = replicas.RecognitionReplica(table_of(RecognitionRow), table_of(RevocationRow))
apply_recognition_event = recognitions.apply
