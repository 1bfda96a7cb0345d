// 数据备份: the owner downloads the full backup (every collection, as the server streams it) and reads how it is
// restored. Only owners reach this page (the admin signs in owners only) and the server audits each download.
import { errorMessage } from '../../api';
import { downloadBackup } from '../../api/backup';
import { InlineError, PageHeader } from '../../ui';
import { useDownload } from '../../useDownload';

export function BackupPage() {
  const download = useDownload((error) => errorMessage(error, '下载失败，请稍后再试'));

  return (
    <>
      <PageHeader title="数据备份" description="把全部数据下载为一个备份文件，保存在安全的地方。" />
      <section className="card section backup-card">
        <h3>完整备份</h3>
        <p>
          备份文件（.tar.gz）包含所有数据：会员、积分与储值流水、订单、优惠券、活动、员工和门店、审计日志等，每个集合一份
          EJSON 文件，并附清单记录条数和 SHA-256 校验和。手机号仍是加密状态，恢复后需要同一套密钥才能读取。
        </p>
        <p className="muted">
          恢复方法：停止服务，在服务器上运行 <code>npm run restore -- 备份文件.tar.gz</code>
          。只能恢复到空数据库；恢复时会核对条数、校验和以及积分、成长值、储值余额与流水是否一致，任何一项不符都会拒绝并保持数据库为空。
        </p>
        <p className="muted">数据较多时下载需要一些时间；建议在营业低峰期下载，每次下载都会记入审计日志。</p>
        <button
          className="button button-primary backup-download"
          type="button"
          disabled={download.busy}
          onClick={() => void download.run(downloadBackup, 'member-hub-backup.tar.gz')}
        >
          {download.busy ? '正在生成备份…' : '下载完整备份'}
        </button>
        <InlineError message={download.error} />
      </section>
    </>
  );
}
