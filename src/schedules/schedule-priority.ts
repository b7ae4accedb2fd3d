/** Priority levels of Thông tư 39/2020: emergency pre-empts, priority goes ahead of normal. */
export enum SchedulePriority {
  Normal = 'normal',
  Priority = 'priority',
  Emergency = 'emergency',
}

export const SCHEDULE_PRIORITIES = Object.values(SchedulePriority);
