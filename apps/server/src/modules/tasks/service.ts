// Tasks that reward points: daily check-in with a streak bonus, profile completion and phone binding (once),
// shares (counted only when a friend opens the link), reviews (one per order). Each award is one ledger post whose
// guard checks and moves the member's per-day counters in the same single-document update, so the daily cap and
// per-task limits hold under any concurrency, and the idempotency key makes each award happen once.
import type { MyTasks } from '@member-hub/shared';
import type { Connection, Types } from 'mongoose';
import { AppError } from '../../errors';
import type { LedgerService, PostResult } from '../ledger/service';
import { type Member, memberModel } from '../members/model';
import { chinaDate, expiryDay } from '../points/expiry';
import type { RulesService } from '../rules/service';

export type TaskType = 'checkIn' | 'profile' | 'phone' | 'share' | 'review';

const TITLES: Record<TaskType, string> = {
  checkIn: '每日签到',
  profile: '完善资料',
  phone: '绑定手机号',
  share: '分享给好友',
  review: '消费后评价',
};

export class TaskService {
  constructor(
    private readonly conn: Connection,
    private readonly ledger: LedgerService,
    private readonly rules: RulesService,
    private readonly now: () => number = Date.now,
  ) {}

  private today(): string {
    return chinaDate(new Date(this.now()));
  }

  /** A new day starts with fresh counters; harmless if two requests do it at once. */
  private async rollDay(memberId: Types.ObjectId, today: string): Promise<void> {
    await memberModel(this.conn).updateOne(
      { _id: memberId, 'taskDay.date': { $ne: today } },
      { $set: { taskDay: { date: today, points: 0, counts: {} } } },
    );
  }

  /**
   * Awards a task: `instance` names this occurrence (the day, the order...), so the same occurrence never pays
   * twice; `perDay` limits how many occurrences count in one day.
   */
  private async award(
    memberId: Types.ObjectId,
    type: TaskType,
    instance: string,
    points: number,
    options: {
      perDay?: number;
      extraFilter?: Record<string, unknown>;
      extraSet?: Record<string, unknown>;
      note?: string;
    } = {},
  ): Promise<PostResult | null> {
    if (points <= 0) return null;
    const rules = await this.rules.get();
    const today = this.today();
    await this.rollDay(memberId, today);
    const filter: Record<string, unknown> = {
      'taskDay.date': today,
      'taskDay.points': { $lte: rules.tasks.dailyCap - points },
      ...options.extraFilter,
    };
    if (options.perDay !== undefined) filter[`taskDay.counts.${type}`] = { $not: { $gte: options.perDay } };
    const key = `task:${type}:${memberId.toHexString()}:${instance}`;
    return this.ledger.post({
      memberId,
      account: 'points',
      amount: points,
      reason: 'task',
      idempotencyKey: key,
      note: options.note ?? `${TITLES[type]} +${points}`,
      expiresOn: expiryDay(new Date(this.now()), rules.expiryMonths),
      guard: {
        filter,
        inc: { 'taskDay.points': points, [`taskDay.counts.${type}`]: 1 },
        set: options.extraSet,
        refusal: options.perDay !== undefined ? 'TASK_LIMIT_REACHED' : 'TASK_DAILY_CAP',
      },
    });
  }

  async checkIn(
    memberId: Types.ObjectId,
  ): Promise<{ points: number; bonus: number; streak: number; already: boolean }> {
    const { tasks } = await this.rules.get();
    const today = this.today();
    const yesterday = chinaDate(new Date(this.now() - 24 * 3600 * 1000));
    const member = await memberModel(this.conn).findById(memberId, { checkIn: 1 }).lean<Member>();
    if (member?.checkIn?.lastDate === today)
      return { points: 0, bonus: 0, streak: member.checkIn.streak, already: true };
    const streak = member?.checkIn?.lastDate === yesterday ? member.checkIn.streak + 1 : 1;
    const bonus = streak % tasks.checkIn.streakDays === 0 ? tasks.checkIn.streakBonus : 0;
    const points = tasks.checkIn.points + bonus;
    try {
      const posted = await this.award(memberId, 'checkIn', today, points, {
        // Only from the state we read, so a double tap cannot count the streak twice.
        extraFilter: { 'checkIn.lastDate': { $ne: today } },
        extraSet: { checkIn: { lastDate: today, streak } },
        note: bonus ? `连续签到 ${streak} 天 +${tasks.checkIn.points}，奖励 +${bonus}` : `签到 +${points}`,
      });
      return { points, bonus, streak, already: posted?.replayed ?? false };
    } catch (err) {
      const again = await memberModel(this.conn).findById(memberId, { checkIn: 1 }).lean<Member>();
      if (again?.checkIn?.lastDate === today)
        return { points: 0, bonus: 0, streak: again.checkIn.streak, already: true };
      throw err;
    }
  }

  /** Once, when the profile has nickname, birthday, gender and region. */
  async profileCompleted(member: Member): Promise<void> {
    if (!(member.nickname && member.birthday && member.gender !== 'unknown' && member.region)) return;
    const { tasks } = await this.rules.get();
    await this.award(member._id, 'profile', 'once', tasks.profile).catch(ignoreCapped);
  }

  async phoneBound(memberId: Types.ObjectId): Promise<void> {
    const { tasks } = await this.rules.get();
    await this.award(memberId, 'phone', 'once', tasks.phone).catch(ignoreCapped);
  }

  /** A friend opened the member's shared link: that, not the member's own say-so, is what counts. */
  async shareVisited(sharerId: Types.ObjectId, shareId: string): Promise<PostResult | null> {
    const { tasks } = await this.rules.get();
    return this.award(sharerId, 'share', shareId, tasks.share.points, { perDay: tasks.share.perDay });
  }

  async reviewed(memberId: Types.ObjectId, orderId: string): Promise<PostResult | null> {
    const { tasks } = await this.rules.get();
    return this.award(memberId, 'review', orderId, tasks.review);
  }

  async status(member: Member): Promise<MyTasks> {
    const { tasks } = await this.rules.get();
    const today = this.today();
    const day =
      member.taskDay?.date === today
        ? member.taskDay
        : { date: today, points: 0, counts: {} as Record<string, number> };
    const onceDone = async (type: TaskType) =>
      (await this.ledger.hasKey(`task:${type}:${member._id.toHexString()}:once`)) ? 1 : 0;
    const checkedInToday = member.checkIn?.lastDate === today;
    const yesterday = chinaDate(new Date(this.now() - 24 * 3600 * 1000));
    const streak = checkedInToday || member.checkIn?.lastDate === yesterday ? (member.checkIn?.streak ?? 0) : 0;
    return {
      checkIn: {
        checkedInToday,
        streak,
        bonusAtStreak: tasks.checkIn.streakDays,
        bonusPoints: tasks.checkIn.streakBonus,
      },
      tasks: [
        {
          type: 'checkIn',
          title: TITLES.checkIn,
          points: tasks.checkIn.points,
          done: checkedInToday ? 1 : 0,
          limit: 1,
        },
        { type: 'profile', title: TITLES.profile, points: tasks.profile, done: await onceDone('profile'), limit: 1 },
        { type: 'phone', title: TITLES.phone, points: tasks.phone, done: await onceDone('phone'), limit: 1 },
        {
          type: 'share',
          title: TITLES.share,
          points: tasks.share.points,
          done: day.counts.share ?? 0,
          limit: tasks.share.perDay,
        },
        { type: 'review', title: TITLES.review, points: tasks.review, done: day.counts.review ?? 0, limit: 0 },
      ],
      todayTaskPoints: day.points,
      dailyCap: tasks.dailyCap,
    };
  }
}

/** One-off rewards that arrive on a capped day are simply not paid; the action itself still succeeded. */
function ignoreCapped(err: unknown): null {
  if (err instanceof AppError && (err.code === 'TASK_DAILY_CAP' || err.code === 'TASK_LIMIT_REACHED')) return null;
  throw err;
}
