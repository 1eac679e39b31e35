"""The endpoint form: one field per parameter, validated before sending."""

from .fields import Field, FieldError, field_for
from .form import EndpointForm, FormInvalid

__all__ = ["EndpointForm", "Field", "FieldError", "FormInvalid", "field_for"]
