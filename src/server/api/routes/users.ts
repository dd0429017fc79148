import { z } from '@hono/zod-openapi';
import { answers, defineRoute, json, jsonBody, noContent } from '../route-kit.ts';
import { pageOf } from '../schema-kit.ts';
import {
  PasswordBodySchema,
  UserBodySchema,
  UserCreatedSchema,
  UserPatchSchema,
  UserSchema,
} from '../schemas/admin.ts';

const tags = ['Users'];
const UserParams = z.object({ username: z.string() });
const LAST_ADMIN = 'The last admin stays: make another user admin first';

export const listUsers = defineRoute({
  method: 'get',
  path: '/users',
  operationId: 'listUsers',
  summary: 'Users and their roles (admin)',
  tags,
  'x-role': 'admin',
  responses: answers({ 200: json(pageOf('UserPage', UserSchema), 'The users, never their passwords') }),
});

export const createUser = defineRoute({
  method: 'post',
  path: '/users',
  operationId: 'createUser',
  summary: 'Create a user (admin)',
  tags,
  'x-role': 'admin',
  request: { body: jsonBody(UserBodySchema) },
  responses: answers({ 201: json(UserCreatedSchema, 'The user') }, { conflict: 'The user exists already' }),
});

export const patchUser = defineRoute({
  method: 'patch',
  path: '/users/{username}',
  operationId: 'patchUser',
  summary: "Change a user's role, ending their sessions and tokens (admin)",
  tags,
  'x-role': 'admin',
  request: { params: UserParams, body: jsonBody(UserPatchSchema) },
  responses: answers(
    { 200: json(UserCreatedSchema, 'The user, with the new role') },
    { conflict: LAST_ADMIN },
  ),
});

export const resetUserPassword = defineRoute({
  method: 'post',
  path: '/users/{username}/password',
  operationId: 'resetUserPassword',
  summary: "Reset a user's password, ending their sessions and tokens (admin)",
  tags,
  'x-role': 'admin',
  request: { params: UserParams, body: jsonBody(PasswordBodySchema) },
  responses: answers(noContent('Reset')),
});

export const deleteUser = defineRoute({
  method: 'delete',
  path: '/users/{username}',
  operationId: 'deleteUser',
  summary: 'Delete a user and their sessions and tokens (admin)',
  tags,
  'x-role': 'admin',
  request: { params: UserParams },
  responses: answers(noContent('Deleted'), { conflict: LAST_ADMIN }),
});
