import type { HTMLAttributes } from 'vue';

/**
 * `data-testid` for props typed as HTMLAttributes (menu and dropdown options,
 * input-props), which do not list data-* attributes.
 */
export const testId = (id: string): HTMLAttributes => ({ 'data-testid': id }) as HTMLAttributes;
