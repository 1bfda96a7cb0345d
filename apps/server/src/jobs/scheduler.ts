// The cron schedule, in one place. Each job is a plain async function; every tick is recorded in `job_runs`
// (runs.ts), keyed by job and minute, so any number of server copies may run this scheduler and each scheduled
// run happens once. Long jobs also hold a MongoDB lease, so an owner's "run now" never overlaps them.
import cron, { type ScheduledTask } from 'node-cron';
import type { AppDeps } from '../deps';
import { expireCoupons, giftCoupons, releaseReferralRewards, resumeCouponIssues } from './couponJobs';
import { expireDuePoints } from './expireDuePoints';
import { importMembers } from './importMembers';
import { dailyMessageTriggers, sendMessages } from './messageJobs';
import { reconcileOpenPayments, reconcileYesterday } from './reconcilePayments';
import { reviewTiers } from './reviewTiers';
import { rfmDaily } from './rfmDaily';
import { rollupDaily } from './rollupDaily';
import { type JobDefinition, JobRunner } from './runs';
import { tagsDaily } from './tagsDaily';

export const JOBS: JobDefinition[] = [
  // Points due yesterday expire just after midnight.
  {
    name: 'expireDuePoints',
    title: '积分过期',
    description: '把到期未用的积分按批次过期，并写入积分流水',
    schedule: '15 0 * * *',
    run: (deps) => expireDuePoints(deps),
  },
  {
    name: 'reviewTiers',
    title: '等级年度复核',
    description: '复核满一年的会员等级，未达标降一级；复核前 30 天记录保级提醒',
    schedule: '0 3 * * *',
    run: (deps) => reviewTiers(deps),
  },
  // Unpaid WeChat Pay orders are asked about (or closed) every minute; yesterday's books after the bill is out.
  {
    name: 'reconcileOpenPayments',
    title: '未完成支付查单',
    description: '向微信支付查询未完成的储值订单，到账或关闭',
    schedule: '* * * * *',
    run: (deps) => reconcileOpenPayments(deps),
  },
  {
    name: 'reconcileYesterday',
    title: '昨日对账',
    description: '下载微信支付昨日账单，与储值到账逐笔核对',
    schedule: '30 10 * * *',
    run: (deps) => reconcileYesterday(deps),
  },
  // Coupons past their validity are marked just after midnight (members' own lists never wait for it).
  {
    name: 'expireCoupons',
    title: '优惠券过期',
    description: '把过了有效期的优惠券标记为已过期',
    schedule: '5 0 * * *',
    run: (deps) => expireCoupons(deps),
  },
  // Birthday (7 days ahead) and monthly tier gifts, in the morning.
  {
    name: 'giftCoupons',
    title: '生日券与月礼',
    description: '生日前 7 天发生日券；每月 1 日按等级发月礼券',
    schedule: '0 9 * * *',
    run: (deps) => giftCoupons(deps),
  },
  {
    name: 'releaseReferralRewards',
    title: '邀请奖励发放',
    description: '冻结期满的邀请奖励券变为可用',
    schedule: '*/10 * * * *',
    run: (deps) => releaseReferralRewards(deps),
  },
  // Pushes interrupted by a restart carry on.
  {
    name: 'resumeCouponIssues',
    title: '续发优惠券',
    description: '继续被中断的批量发券',
    schedule: '* * * * *',
    run: (deps) => resumeCouponIssues(deps),
  },
  // Yesterday's dashboard rollups, after the midnight expiries (points 00:15, coupons 00:05) have landed.
  {
    name: 'rollupDaily',
    title: '经营日报汇总',
    description: '汇总昨日各门店的会员、销售、积分、券和储值数据',
    schedule: '30 0 * * *',
    run: (deps) => rollupDaily(deps),
  },
  // RFM classes and churn warnings over the window, before the owner's morning (and after midnight's orders).
  {
    name: 'rfmDaily',
    title: 'RFM 分析',
    description: '按消费近度、频次、金额给会员打分分类，找出流失风险',
    schedule: '30 2 * * *',
    run: (deps) => rfmDaily(deps),
  },
  // Rule tags after the RFM run (a few minutes at a million members) and the tier review (03:00), so `rfmClass` and
  // `tier` conditions read today's values.
  {
    name: 'tagsDaily',
    title: '规则标签',
    description: '重新计算所有规则标签的会员',
    schedule: '30 3 * * *',
    run: (deps) => tagsDaily(deps),
  },
  // Member imports interrupted by a restart or crash carry on from their last committed batch.
  {
    name: 'resumeImports',
    title: '续导会员',
    description: '继续被中断的会员导入',
    schedule: '* * * * *',
    run: (deps) => importMembers(deps),
  },
  // Subscription messages: points earned reach the member within a couple of minutes of the purchase.
  {
    name: 'sendMessages',
    title: '发送订阅消息',
    description: '把新的积分到账、储值成功等事件写入待发消息，并发送到期的消息',
    schedule: '* * * * *',
    run: (deps) => sendMessages(deps),
  },
  {
    name: 'runCampaigns',
    title: '执行营销活动',
    description: '到点的活动按分群发券或送积分，并留出对照组',
    schedule: '* * * * *',
    run: (deps) => deps.campaignRuns.runDue(),
  },
  // Reminders and win-back offers, after the 09:00 birthday coupons and outside quiet hours.
  {
    name: 'dailyMessageTriggers',
    title: '每日提醒',
    description: '积分将过期、券将过期、生日、保级提醒和回归礼券',
    schedule: '0 10 * * *',
    run: (deps) => dailyMessageTriggers(deps),
  },
];

export function startScheduler(deps: AppDeps): { stop(): void } {
  const runner = new JobRunner(deps, JOBS);
  const tasks: ScheduledTask[] = JOBS.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          await runner.runScheduled(job.name, deps.now());
        } catch (err) {
          deps.logger.error({ job: job.name, err }, 'job run could not be recorded');
        }
      },
      { timezone: 'Asia/Shanghai', name: job.name },
    ),
  );
  return {
    stop: () => {
      for (const task of tasks) task.stop();
    },
  };
}
