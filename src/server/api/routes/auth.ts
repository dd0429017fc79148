import { z } from '@hono/zod-openapi';
import { answers, defineRoute, json, jsonBody } from '../route-kit.ts';
import { SessionSchema, TokenBodySchema, TokenSchema } from '../schemas/admin.ts';

const tags = ['Session'];

export const getSession = defineRoute({
  method: 'get',
  path: '/auth/session',
  operationId: 'getSession',
  summary: 'The logged-in user, their role and CSRF token',
  tags,
  'x-role': 'viewer',
  responses: answers({ 200: json(SessionSchema, 'Who is calling') }),
});

export const createToken = defineRoute({
  method: 'post',
  path: '/auth/tokens',
  operationId: 'createToken',
  summary: "Create an API (bearer) token, shown once; its role is at most the caller's",
  tags,
  'x-role': 'viewer',
  request: { body: jsonBody(TokenBodySchema, false) },
  responses: answers({ 201: json(TokenSchema, 'The token: keep it, it is not shown again') }),
});

export const getOpenApiDocument = defineRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  summary: 'This description',
  tags: ['Meta'],
  'x-role': 'viewer',
  responses: answers({
    200: json(
      z.record(z.string(), z.unknown()).openapi({ description: 'an OpenAPI 3.1 document' }),
      'This document',
    ),
  }),
});
