import { usageEventKinds, usageEventLabels, type UsageLogSummary } from '@autoprov/contract';

const colours: Record<(typeof usageEventKinds)[number], string> = {
  user_created: '#1a57c9',
  user_adopted: '#0f7c8c',
  user_updated: '#5b8def',
  user_suspended: '#c98a1a',
  user_unsuspended: '#2e9d5b',
  user_deleted: '#6b4fbb',
  failure: '#b42318',
};

/** L-1: events per day over the range, stacked by kind; the same numbers as a table for screen readers. */
export function EventsChart({ summary }: { summary: UsageLogSummary }) {
  const totals = summary.perDay.map((d) => usageEventKinds.reduce((n, k) => n + d.counts[k], 0));
  const max = Math.max(1, ...totals);
  const width = 720;
  const height = 160;
  const barWidth = width / summary.perDay.length;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height + 20}`} role="img" aria-labelledby="chart-caption" preserveAspectRatio="none">
        {summary.perDay.map((d, i) => {
          let y = height;
          return (
            <g key={d.day}>
              <title>{`${d.day}: ${totals[i]} events`}</title>
              {usageEventKinds.map((k) => {
                const h = (d.counts[k] / max) * height;
                y -= h;
                return h > 0 ? <rect key={k} x={i * barWidth + 1} y={y} width={barWidth - 2} height={h} fill={colours[k]} /> : null;
              })}
              {i % 5 === 0 ? (
                <text x={i * barWidth + barWidth / 2} y={height + 14} fontSize="10" textAnchor="middle" fill="#5b636e">
                  {d.day.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption id="chart-caption">
        Events per day, {summary.from} to {summary.to}
      </figcaption>
      <ul className="legend" aria-hidden="true">
        {usageEventKinds.map((k) => (
          <li key={k}>
            <span className="swatch" style={{ background: colours[k] }} /> {usageEventLabels[k]}
          </li>
        ))}
      </ul>
      <table className="visually-hidden">
        <caption>Events per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            {usageEventKinds.map((k) => (
              <th key={k} scope="col">
                {usageEventLabels[k]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {summary.perDay.map((d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              {usageEventKinds.map((k) => (
                <td key={k}>{d.counts[k]}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
