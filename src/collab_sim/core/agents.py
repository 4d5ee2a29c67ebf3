"""Mesa agents for organisations: ``Company``, ``Nonprofit`` and ``Agency``.

The agents are views: each holds its row index into the model's arrays, and its
attributes read (and write) those arrays. The model's step never loops over agents; the
agents exist for identity, AgentSet queries (``select``, ``groupby``, ``agg``) and the
visualisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from collab_sim.vocabulary import DATA_REGIMES, DOMAINS, SECTORS

if TYPE_CHECKING:
    from collab_sim.core.model import EcosystemModel


class Organisation(mesa.Agent):
    """An organisation of the ecosystem, a view onto row ``index`` of the model's arrays.

    Attributes:
        index: Row of this organisation in the model's arrays.
    """

    sector_name: str = ""

    def __init__(self, model: EcosystemModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def _orgs(self):
        return self.model.orgs

    @property
    def subtype(self) -> str:
        """Subtype name, e.g. ``large_pharma``."""
        return self._orgs.subtype_names[self._orgs.subtype[self.index]]

    @property
    def sector(self) -> str:
        """Sector name: company, nonprofit or agency."""
        return SECTORS[self._orgs.sector[self.index]]

    @property
    def resources(self) -> float:
        """Money in hand, $M."""
        return float(self._orgs.resources[self.index])

    @resources.setter
    def resources(self, value: float) -> None:
        self._orgs.resources[self.index] = value

    @property
    def capability(self) -> dict[str, float]:
        """Capability per domain, in [0, 1]."""
        return dict(zip(DOMAINS, self._orgs.capability[self.index].tolist(), strict=True))

    @property
    def culture(self) -> np.ndarray:
        """Culture vector (pace, communication, decision style), a read-only view."""
        view = self._orgs.culture[self.index]
        view.flags.writeable = False
        return view

    @property
    def data_regime(self) -> str:
        """Data-governance regime."""
        return DATA_REGIMES[self._orgs.data_regime[self.index]]

    @property
    def horizon(self) -> float:
        """Time horizon, months."""
        return float(self._orgs.horizon[self.index])

    @property
    def n_partnerships(self) -> int:
        """Active partnerships now."""
        return int(self._orgs.n_active[self.index])

    @property
    def partnership_ids(self) -> list[int]:
        """Ids of active partnerships."""
        row = self._orgs.active[self.index]
        return sorted(int(p) for p in row[row >= 0])

    @property
    def value_received(self) -> float:
        """Value received from partnerships so far, $M."""
        return float(self._orgs.value_received[self.index])

    def trust_in(self, other: Organisation) -> float:
        """This organisation's current trust in ``other``."""
        return self.model.trust.of(self._orgs.sector, self.index, other.index, self.model.steps)

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}({self.unique_id}, {self.subtype}, resources={self.resources:.1f})"


class Company(Organisation):
    """A company: large pharma or biotech SME (subtypes from config)."""

    sector_name = "company"


class Nonprofit(Organisation):
    """A nonprofit: academic institute, patient advocacy group, community health provider."""

    sector_name = "nonprofit"


class Agency(Organisation):
    """An agency: public funder or regulator."""

    sector_name = "agency"


AGENT_CLASSES = {cls.sector_name: cls for cls in (Company, Nonprofit, Agency)}
