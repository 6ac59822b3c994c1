import type { ApiConfig } from '@ihl/config';

export type ApiSettings = ApiConfig;
export const API_CONFIG = Symbol('API_CONFIG');
