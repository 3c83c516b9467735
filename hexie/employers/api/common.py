"""What the registry API's endpoints share: query parameters, list-and-create plumbing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from hexie.core.api import (
    StaffAPIView,
    StaffPagination,
    id_param,
    responses,
    staff_user,
)
from hexie.core.enums import RiskLevel
from hexie.core.i18n import interpolate
from hexie.core.serializers import InputSerializer
from hexie.orgs.models import OrgUnit, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TAG = "registry"


def query_param(name: str, what: StrOrPromise, kind: Any = OpenApiTypes.STR, enum: list[str] | None = None) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=what, enum=enum)


PK = id_param("id", "ID")
Q_PARAM = "q"
DISTRICT = query_param("district", _("区划代码，含下级"))
GRADE = query_param("grade", _("风险等级"), enum=list(RiskLevel.values))


def choice(request: Request, name: str, allowed: list[str]) -> str:
    """A filter value from a fixed list, or 400 naming the filter."""
    value = str(request.query_params.get(name) or "").strip()
    if value and value not in allowed:
        raise ValidationError({name: [
            gettext("筛选条件 %(name)s 的值“%(value)s”无效") % {"name": name, "value": value[:50], "items": ', '.join(allowed)}]})
    return value


def district(request: Request) -> str:
    code = str(request.query_params.get("district") or "").strip()
    if code and not (code.isascii() and code.isalnum() and OrgUnit.objects.filter(code=code).exists()):
        raise ValidationError({"district": [
            gettext("区域代码“%(code)s”不存在") % {"code": code[:20]}]})
    return code


def search(request: Request) -> str:
    return str(request.query_params.get(Q_PARAM) or "")[:100]


class ListCreate(StaffAPIView, generics.ListAPIView):
    pagination_class: Any = StaffPagination
    filter_backends: list[Any] = []

    def created(self, request: Request, serializer: type[BaseSerializer], obj: Model) -> Response:
        return Response(serializer(obj, context=self.context(request)).data, status=status.HTTP_201_CREATED)


class FileOf:
    """A row with its page's lists attached under the names the detail serializer reads (a model's
    reverse relations, such as ``warnings``, cannot be assigned a list)."""

    def __init__(self, obj: Model, **lists: Any) -> None:
        self._obj = obj
        self.__dict__.update(lists)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)


class CorrectableFile(StaffAPIView):
    """A registry row's file (GET) whose facts can be replaced (PUT) or corrected (PATCH: only the
    fields sent). Subclasses name how the row is found, answered and corrected; each documents its
    operations with ``extend_schema_view``."""

    input_serializer: type[InputSerializer]

    def find(self, user: Any, pk: int) -> Model:
        raise NotImplementedError

    def answer(self, request: Request, pk: int) -> Response:
        raise NotImplementedError

    def correct(self, actor: User, obj: Any, data: InputSerializer, *, partial: bool) -> None:
        raise NotImplementedError

    def get(self, request: Request, pk: int) -> Response:
        return self.answer(request, pk)

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        obj = self.find(request.user, pk)  # outside the jurisdiction: 404 before the body is read
        s = self.input_serializer(data=request.data, partial=partial, context={"request": request})
        s.is_valid(raise_exception=True)
        self.correct(staff_user(request), obj, s, partial=partial)
        return self.answer(request, pk)

    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)


def file_schema(*, operation: str, noun: StrOrPromise, summary: StrOrPromise, description: StrOrPromise,
                input_serializer: type[InputSerializer], file_serializer: Any) -> Any:
    """The three documented operations of a ``CorrectableFile`` (read, replace, correct)."""
    refused = responses(file_serializer, 400, 401, 403, 404)
    return extend_schema_view(
        get=extend_schema(tags=[TAG], operation_id=f"{operation}_retrieve", summary=summary,
                          description=description, parameters=[PK], responses=responses(file_serializer, 401, 404)),
        put=extend_schema(tags=[TAG], operation_id=f"{operation}_update",
                          summary=interpolate(_("修改%(noun)s"), noun=noun), parameters=[PK],
                          request=input_serializer, responses=refused),
        patch=extend_schema(tags=[TAG], operation_id=f"{operation}_partial_update",
                            summary=interpolate(_("更正%(noun)s"), noun=noun),
                            description=gettext("只发送要修改的字段。"),
                            parameters=[PK], request=input_serializer, responses=refused),
    )
