import type { HealthResult } from '@opsline/contracts';
import { http } from './client';

export const getHealth = () => http.get<HealthResult>('/health');
