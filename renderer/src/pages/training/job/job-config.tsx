import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import type { JobDetail } from '../../../../../preload/contract';
import { Button } from '../../../components/button';
import styles from './job-page.module.css';

/** The resolved trainer config (the run folder's config.json), read-only, with a copy button. */
export function JobConfig({ job }: { job: Readonly<JobDetail> }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const text = JSON.stringify(job.config, null, 2);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className={styles.card} aria-labelledby="job-config-heading" data-testid="job-config">
      <div className={styles.cardHead}>
        <h2 id="job-config-heading" className={styles.cardTitle}>
          Config
        </h2>
        <Button variant="ghost" onClick={() => void copy()} data-testid="job-config-copy">
          {copied === 'yes' ? <Check size={13} aria-hidden="true" /> : <Copy size={13} aria-hidden="true" />}
          {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Copy failed: select the text' : 'Copy JSON'}
        </Button>
      </div>
      <pre className={styles.json} data-testid="job-config-json">
        {text}
      </pre>
    </section>
  );
}
