import type { WidgetSettings } from '@cloop/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('sites')
export class SiteEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'organization_id' })
  organizationId: string;

  @Column('text')
  name: string;

  @Column('text', { name: 'public_key' })
  publicKey: string;

  @Column('text', { name: 'allowed_origins', array: true })
  allowedOrigins: string[];

  @Column('jsonb')
  widget: WidgetSettings;

  @Column('boolean', { name: 'lead_capture' })
  leadCapture: boolean;

  @Column('integer', { name: 'retention_days' })
  retentionDays: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
