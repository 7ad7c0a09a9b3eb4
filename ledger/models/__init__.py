"""All tables. Each area keeps its own module; this package lists them for migrations."""

from ledger.models.assessment import AssessmentGoal, AssessmentScheme, AssessmentScore
from ledger.models.base import BaseModel, database_proxy
from ledger.models.core import JournalEntry, JournalKey, NumberSequence
from ledger.models.decisions import Decision, DecisionStep
from ledger.models.members import Election, Person, Term, Village
from ledger.models.petitions import Petition, Petitioner, PetitionEvent
from ledger.models.roster import DutyEligible, DutyPost, Shift, Unavailability
from ledger.models.staff import ReminderLog, Staff
from ledger.models.surveys import SatisfactionSurvey
from ledger.models.tickets import CalendarDay, CalendarYear, ServiceItem, Ticket, TicketEvent
from ledger.models.training import Attendance, TrainingSeries, TrainingSession

__all__ = [
    "BaseModel",
    "database_proxy",
    "JournalEntry",
    "NumberSequence",
    "Village",
    "Person",
    "Election",
    "Term",
]

# Every table, in dependency order; migrations are generated against this list:
#   python -m playhouse.migrations sqlite:///tmp/x.db generate ledger.models:ALL_MODELS \
#       -d ledger/migrations -t schema_migration --name WHAT
ALL_MODELS = [JournalEntry, JournalKey, NumberSequence, Village, Person, Election, Term,
              Staff, ReminderLog,
              CalendarYear, CalendarDay, ServiceItem, Ticket, TicketEvent,
              Petition, Petitioner, PetitionEvent,
              TrainingSeries, TrainingSession, Attendance,
              DutyPost, DutyEligible, Unavailability, Shift,
              Decision, DecisionStep, SatisfactionSurvey,
              AssessmentScheme, AssessmentGoal, AssessmentScore]
