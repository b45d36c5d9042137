"""Schemas of /api/v1/signin/… (server/api/signin.py): they parse the requests and, named after
their class, describe the operations in the OpenAPI document."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.api.schemas import StrictSchema
from server.signin.devices import CLIENTS, NAME_MAX


class SignInCodeSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=200))


class SignInExchangeSchema(SignInCodeSchema):
    device_name = fields.String(load_default=None, validate=validate.Length(max=NAME_MAX))
    client = fields.String(load_default="script", validate=validate.OneOf(CLIENTS))


class SignInRefreshSchema(StrictSchema):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class StaffRefSchema(Schema):
    name = fields.String()
    role = fields.String()


class DeviceRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    client = fields.String()


class DeviceTokensSchema(Schema):
    access_token = fields.String(dump_only=True)
    refresh_token = fields.String(dump_only=True)
    token_type = fields.String(dump_only=True)
    expires_in = fields.Integer(dump_only=True, metadata={"description": "Seconds the access token lasts"})
    staff = fields.Nested(StaffRefSchema, dump_only=True)
    device = fields.Nested(DeviceRefSchema, dump_only=True)


class SignInCodeInfoSchema(Schema):
    staff = fields.Nested(StaffRefSchema, dump_only=True)
    purpose = fields.String(dump_only=True)
    expires_in = fields.Integer(dump_only=True)


class SignedInAsSchema(Schema):
    staff = fields.Nested(StaffRefSchema, dump_only=True)
    device = fields.Nested(DeviceRefSchema, dump_only=True, allow_none=True)


class SignInConfigSchema(Schema):
    enabled = fields.Boolean(dump_only=True)
    issuer = fields.String(dump_only=True, allow_none=True)
    start_url = fields.String(dump_only=True, allow_none=True)
